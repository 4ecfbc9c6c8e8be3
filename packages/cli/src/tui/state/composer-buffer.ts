import { z } from "zod";

/**
 * The composer's text: an immutable value (every edit returns a new buffer) with a cursor and
 * atoms. An atom is a span of the display text edited as one unit: a big paste shown as
 * `[Pasted 120 lines]` (the model gets the full text) or an `@path` mention. The cursor never
 * rests inside an atom; deleting at its edge deletes all of it.
 */
export interface ComposerBuffer {
  /** What the composer shows (atoms as their labels). */
  readonly text: string;
  /** Offset into `text` (UTF-16 units), never inside an atom or a surrogate pair. */
  readonly cursor: number;
  /** Sorted, non-overlapping. */
  readonly atoms: readonly Atom[];
}

/** A span of `text` that stands for something else. */
export type Atom =
  | {
      kind: "paste";
      start: number;
      end: number;
      /** The pasted text, for the model. */ content: string;
    }
  | { kind: "mention"; start: number; end: number; /** Repository-relative path. */ path: string };

/** Pastes longer than this many lines, or characters, fold into an atom. */
export const PASTE_FOLD_LINES = 5;
export const PASTE_FOLD_CHARS = 1000;

export const emptyBuffer: ComposerBuffer = { text: "", cursor: 0, atoms: [] };

/** A buffer holding `text` (no atoms), cursor at the end. */
export function bufferFromText(text: string): ComposerBuffer {
  const clean = cleanText(text);
  return { text: clean, cursor: clean.length, atoms: [] };
}

export function isBlank(buffer: ComposerBuffer): boolean {
  return buffer.atoms.length === 0 && buffer.text.trim() === "";
}

/** The text the model gets: paste atoms expanded to what was pasted. */
export function toModelText(buffer: ComposerBuffer): string {
  let out = "";
  let at = 0;
  for (const atom of buffer.atoms) {
    out += buffer.text.slice(at, atom.start);
    out += atom.kind === "paste" ? atom.content : buffer.text.slice(atom.start, atom.end);
    at = atom.end;
  }
  return out + buffer.text.slice(at);
}

/** Typed text at the cursor (line ends normalised, control characters dropped). */
export function insertText(buffer: ComposerBuffer, text: string): ComposerBuffer {
  return splice(buffer, buffer.cursor, buffer.cursor, cleanText(text), []);
}

/** Pasted text at the cursor: folded into a `[Pasted N lines]` atom when it is big. */
export function insertPaste(buffer: ComposerBuffer, text: string): ComposerBuffer {
  const clean = cleanText(text);
  const lines = clean.split("\n").length;
  if (lines <= PASTE_FOLD_LINES && clean.length <= PASTE_FOLD_CHARS)
    return insertText(buffer, clean);
  const label =
    lines > 1 ? `[Pasted ${lines} lines]` : `[Pasted ${clean.length.toLocaleString("en")} chars]`;
  return splice(buffer, buffer.cursor, buffer.cursor, label, [
    { kind: "paste", start: 0, end: label.length, content: clean },
  ]);
}

/** An `@path` mention atom at the cursor, followed by a space. */
export function insertMention(buffer: ComposerBuffer, path: string): ComposerBuffer {
  const label = `@${cleanText(path).replace(/\s/g, "\\ ")}`;
  const withAtom = splice(buffer, buffer.cursor, buffer.cursor, label, [
    { kind: "mention", start: 0, end: label.length, path },
  ]);
  return insertText(withAtom, " ");
}

/** The `length` characters before the cursor removed (atoms they touch go whole). */
export function removeBeforeCursor(buffer: ComposerBuffer, length: number): ComposerBuffer {
  return remove(buffer, Math.max(0, buffer.cursor - length), buffer.cursor);
}

/** Editing and movement commands (what keys do in the composer). */
export type EditCommand =
  | "backspace"
  | "delete"
  | "left"
  | "right"
  | "wordLeft"
  | "wordRight"
  | "lineStart"
  | "lineEnd"
  | "bufferStart"
  | "bufferEnd"
  | "deleteWordBackward"
  | "deleteWordForward"
  | "killToLineEnd"
  | "killToLineStart";

export function edit(buffer: ComposerBuffer, command: EditCommand): ComposerBuffer {
  const { text, cursor } = buffer;
  switch (command) {
    case "backspace":
      return remove(buffer, stepLeft(buffer, cursor), cursor);
    case "delete":
      return remove(buffer, cursor, stepRight(buffer, cursor));
    case "left":
      return moveTo(buffer, stepLeft(buffer, cursor));
    case "right":
      return moveTo(buffer, stepRight(buffer, cursor));
    case "wordLeft":
      return moveTo(buffer, wordLeft(buffer, cursor));
    case "wordRight":
      return moveTo(buffer, wordRight(buffer, cursor));
    case "lineStart":
      return moveTo(buffer, text.lastIndexOf("\n", cursor - 1) + 1);
    case "lineEnd":
      return moveTo(buffer, lineEnd(text, cursor));
    case "bufferStart":
      return moveTo(buffer, 0);
    case "bufferEnd":
      return moveTo(buffer, text.length);
    case "deleteWordBackward":
      return remove(buffer, wordLeft(buffer, cursor), cursor);
    case "deleteWordForward":
      return remove(buffer, cursor, wordRight(buffer, cursor));
    case "killToLineEnd": {
      const end = lineEnd(text, cursor);
      // At a line's end, Ctrl+K joins the next line (as in readline).
      return remove(buffer, cursor, end === cursor ? Math.min(text.length, cursor + 1) : end);
    }
    case "killToLineStart":
      return remove(buffer, text.lastIndexOf("\n", cursor - 1) + 1, cursor);
  }
}

/** The cursor's line (0-based) and the number of lines. */
export function cursorLine(buffer: ComposerBuffer): { line: number; lines: number } {
  const before = buffer.text.slice(0, buffer.cursor);
  return {
    line: before.split("\n").length - 1,
    lines: buffer.text.split("\n").length,
  };
}

/** The cursor one line up or down, at the same column where the line is long enough. */
export function moveLine(buffer: ComposerBuffer, direction: -1 | 1): ComposerBuffer {
  const { text, cursor } = buffer;
  const start = text.lastIndexOf("\n", cursor - 1) + 1;
  const column = cursor - start;
  if (direction < 0) {
    if (start === 0) return buffer;
    const previousStart = text.lastIndexOf("\n", start - 2) + 1;
    return moveTo(buffer, Math.min(previousStart + column, start - 1));
  }
  const end = lineEnd(text, cursor);
  if (end === text.length) return buffer;
  return moveTo(buffer, Math.min(end + 1 + column, lineEnd(text, end + 1)));
}

/**
 * What `buffer` holds after `prefix` (text typed after a submitted text, before that submit was
 * stored), or undefined when `buffer` does not start with `prefix` (atoms included).
 */
export function withoutPrefix(
  buffer: ComposerBuffer,
  prefix: ComposerBuffer,
): ComposerBuffer | undefined {
  const length = prefix.text.length;
  if (!buffer.text.startsWith(prefix.text)) return undefined;
  const inside = buffer.atoms.filter((atom) => atom.start < length);
  if (inside.length !== prefix.atoms.length) return undefined;
  for (const [index, atom] of inside.entries())
    if (JSON.stringify(atom) !== JSON.stringify(prefix.atoms[index]) || atom.end > length)
      return undefined;
  return {
    text: buffer.text.slice(length),
    cursor: Math.max(0, buffer.cursor - length),
    atoms: buffer.atoms
      .filter((atom) => atom.start >= length)
      .map((atom) => ({ ...atom, start: atom.start - length, end: atom.end - length })),
  };
}

/** Buffers one after another, a blank line between them (empty ones skipped), cursor at the end. */
export function concatBuffers(buffers: readonly ComposerBuffer[]): ComposerBuffer {
  let result = emptyBuffer;
  for (const buffer of buffers) {
    if (isBlank(buffer)) continue;
    const joined =
      result.text === ""
        ? result
        : splice(result, result.text.length, result.text.length, "\n\n", []);
    const offset = joined.text.length;
    result = {
      text: joined.text + buffer.text,
      cursor: 0,
      atoms: [
        ...joined.atoms,
        ...buffer.atoms.map((atom) => ({
          ...atom,
          start: atom.start + offset,
          end: atom.end + offset,
        })),
      ],
    };
  }
  return { ...result, cursor: result.text.length };
}

const atomSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("paste"),
    start: z.number().int(),
    end: z.number().int(),
    content: z.string(),
  }),
  z.object({
    kind: z.literal("mention"),
    start: z.number().int(),
    end: z.number().int(),
    path: z.string(),
  }),
]);
const savedSchema = z.object({
  v: z.literal(1),
  text: z.string(),
  cursor: z.number().int(),
  atoms: z.array(atomSchema),
});

/** The buffer as JSON (kept with each pending input and the draft, to restore it as it was). */
export function toJson(buffer: ComposerBuffer): string {
  return JSON.stringify({ v: 1, text: buffer.text, cursor: buffer.cursor, atoms: buffer.atoms });
}

/**
 * A buffer from {@link toJson}'s output. Stored text is checked like any input: anything that
 * does not fit (another version, atoms out of range or overlapping) gives `fallback` as plain text.
 */
export function fromJson(json: string | undefined, fallback: string): ComposerBuffer {
  let parsed: unknown;
  try {
    parsed = json === undefined ? undefined : JSON.parse(json);
  } catch {
    parsed = undefined;
  }
  const saved = savedSchema.safeParse(parsed);
  if (!saved.success) return bufferFromText(fallback);
  const { text, atoms } = saved.data;
  let previousEnd = 0;
  for (const atom of atoms) {
    if (atom.start < previousEnd || atom.end <= atom.start || atom.end > text.length)
      return bufferFromText(fallback);
    previousEnd = atom.end;
  }
  const buffer: ComposerBuffer = { text, cursor: 0, atoms };
  return moveTo(buffer, Math.max(0, Math.min(saved.data.cursor, text.length)));
}

/** Line ends as `\n`; tabs kept; other control characters (escape sequences' ESC) dropped. */
function cleanText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "")
  );
}

/** Replaces [from, to) by `inserted` (its atoms relative to it); atoms touched go whole. */
function splice(
  buffer: ComposerBuffer,
  from: number,
  to: number,
  inserted: string,
  insertedAtoms: readonly Atom[],
): ComposerBuffer {
  const delta = inserted.length - (to - from);
  const atoms: Atom[] = [];
  for (const atom of buffer.atoms) {
    if (atom.end <= from) atoms.push(atom);
    else if (atom.start >= to)
      atoms.push({ ...atom, start: atom.start + delta, end: atom.end + delta });
  }
  atoms.push(
    ...insertedAtoms.map((atom) => ({ ...atom, start: atom.start + from, end: atom.end + from })),
  );
  atoms.sort((a, b) => a.start - b.start);
  return {
    text: buffer.text.slice(0, from) + inserted + buffer.text.slice(to),
    cursor: from + inserted.length,
    atoms,
  };
}

/** Removes [from, to), widened to whole atoms. */
function remove(buffer: ComposerBuffer, from: number, to: number): ComposerBuffer {
  if (from >= to) return buffer;
  let start = from;
  let end = to;
  for (const atom of buffer.atoms) {
    if (atom.start < end && atom.end > start) {
      start = Math.min(start, atom.start);
      end = Math.max(end, atom.end);
    }
  }
  return splice(buffer, start, end, "", []);
}

function moveTo(buffer: ComposerBuffer, offset: number): ComposerBuffer {
  const inside = buffer.atoms.find((atom) => offset > atom.start && offset < atom.end);
  const target = inside
    ? offset - inside.start < inside.end - offset
      ? inside.start
      : inside.end
    : offset;
  return target === buffer.cursor ? buffer : { ...buffer, cursor: target };
}

function atomEndingAt(buffer: ComposerBuffer, offset: number): Atom | undefined {
  return buffer.atoms.find((atom) => atom.end === offset);
}

function atomStartingAt(buffer: ComposerBuffer, offset: number): Atom | undefined {
  return buffer.atoms.find((atom) => atom.start === offset);
}

function stepLeft(buffer: ComposerBuffer, offset: number): number {
  if (offset <= 0) return 0;
  const atom = atomEndingAt(buffer, offset);
  if (atom) return atom.start;
  const low = buffer.text.charCodeAt(offset - 1);
  const high = buffer.text.charCodeAt(offset - 2);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff
    ? offset - 2
    : offset - 1;
}

function stepRight(buffer: ComposerBuffer, offset: number): number {
  if (offset >= buffer.text.length) return buffer.text.length;
  const atom = atomStartingAt(buffer, offset);
  if (atom) return atom.end;
  const high = buffer.text.charCodeAt(offset);
  return high >= 0xd800 && high <= 0xdbff ? offset + 2 : offset + 1;
}

const isWordChar = (char: string): boolean => /[\p{L}\p{N}_]/u.test(char);

/** The start of the word before `offset` (an atom is one word). */
function wordLeft(buffer: ComposerBuffer, offset: number): number {
  let at = offset;
  while (at > 0 && /\s/.test(buffer.text[at - 1] ?? "") && !atomEndingAt(buffer, at)) at--;
  const atom = atomEndingAt(buffer, at);
  if (atom) return atom.start;
  const word = isWordChar(buffer.text[at - 1] ?? "");
  while (at > 0 && !atomEndingAt(buffer, at)) {
    const char = buffer.text[at - 1] ?? "";
    if (/\s/.test(char) || isWordChar(char) !== word) break;
    at--;
  }
  return at;
}

/** The end of the word after `offset` (an atom is one word). */
function wordRight(buffer: ComposerBuffer, offset: number): number {
  const { text } = buffer;
  let at = offset;
  while (at < text.length && /\s/.test(text[at] ?? "") && !atomStartingAt(buffer, at)) at++;
  const atom = atomStartingAt(buffer, at);
  if (atom) return atom.end;
  const word = isWordChar(text[at] ?? "");
  while (at < text.length && !atomStartingAt(buffer, at)) {
    const char = text[at] ?? "";
    if (/\s/.test(char) || isWordChar(char) !== word) break;
    at++;
  }
  return at;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf("\n", offset);
  return end < 0 ? text.length : end;
}
