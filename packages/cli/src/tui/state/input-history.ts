import { emptyBuffer, isBlank, type ComposerBuffer } from "./composer-buffer.js";

/**
 * Up/Down through what was submitted, newest first. History takes over only when the composer is
 * empty or still shows the entry it recalled (Codex's rule): Up in a draft moves the cursor and
 * never replaces what the user typed.
 */
export interface InputHistory {
  /** Submitted composers, newest first. */
  readonly entries: readonly ComposerBuffer[];
  /** The entry shown now, or null when not browsing. */
  readonly index: number | null;
}

/** How many entries are kept. */
export const HISTORY_LIMIT = 200;

export function historyFrom(entries: readonly ComposerBuffer[]): InputHistory {
  return {
    entries: entries.filter((entry) => !isBlank(entry)).slice(0, HISTORY_LIMIT),
    index: null,
  };
}

/** Adds a submitted composer (unless blank or the same as the newest); browsing ends. */
export function remember(history: InputHistory, entry: ComposerBuffer): InputHistory {
  if (isBlank(entry)) return { ...history, index: null };
  const entries =
    history.entries[0]?.text === entry.text && sameAtoms(history.entries[0], entry)
      ? history.entries
      : [{ ...entry, cursor: entry.text.length }, ...history.entries].slice(0, HISTORY_LIMIT);
  return { entries, index: null };
}

/** Whether Up/Down would browse (rather than move the cursor) with this composer. */
export function browsing(history: InputHistory, composer: ComposerBuffer): boolean {
  if (history.index === null) return isBlank(composer);
  const shown = history.entries[history.index];
  return shown !== undefined && shown.text === composer.text && sameAtoms(shown, composer);
}

/** The next older entry, or undefined when there is none or the composer holds other text. */
export function older(
  history: InputHistory,
  composer: ComposerBuffer,
): { history: InputHistory; composer: ComposerBuffer } | undefined {
  if (!browsing(history, composer)) return undefined;
  const index = history.index === null ? 0 : history.index + 1;
  const entry = history.entries[index];
  return entry && { history: { ...history, index }, composer: entry };
}

/** The next newer entry (past the newest: an empty composer), or undefined when not browsing. */
export function newer(
  history: InputHistory,
  composer: ComposerBuffer,
): { history: InputHistory; composer: ComposerBuffer } | undefined {
  if (history.index === null || !browsing(history, composer)) return undefined;
  if (history.index === 0) return { history: { ...history, index: null }, composer: emptyBuffer };
  const index = history.index - 1;
  const entry = history.entries[index];
  return entry && { history: { ...history, index }, composer: entry };
}

function sameAtoms(a: ComposerBuffer, b: ComposerBuffer): boolean {
  return JSON.stringify(a.atoms) === JSON.stringify(b.atoms);
}
