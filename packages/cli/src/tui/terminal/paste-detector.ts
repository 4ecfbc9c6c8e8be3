import type { DecoderClock } from "./key-decoder.js";
import type { KeyEvent } from "./key-event.js";

/** Options of {@link createPasteDetector}. */
export interface PasteDetectorOptions {
  clock?: DecoderClock;
  /** A read this soon after a paste's read continues it (terminals split big pastes). */
  gapMs?: number;
  /** A read with at least this many characters ending in Enter may be the first piece of a paste. */
  burstChars?: number;
}

/** Feeds decoded reads, passes them on, turning unbracketed pastes into paste events. */
export interface PasteDetector {
  /** One read's events (as the decoder emitted them for one chunk). */
  push(events: KeyEvent[]): void;
  dispose(): void;
}

const realClock: DecoderClock = {
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Pastes without bracketed-paste mode arrive as typed keys, and an Enter inside them would submit
 * half the paste. People cannot type faster than the terminal reads, so one read is a paste when
 * it has text, then Enter, then more text; a read soon after a paste continues it; and a long read
 * ending in Enter waits `gapMs` to see whether more follows (then it was a paste and the Enter a
 * newline) before it is passed on as typed. Bracketed pastes pass through untouched.
 */
export function createPasteDetector(
  listener: (events: KeyEvent[]) => void,
  options: PasteDetectorOptions = {},
): PasteDetector {
  const clock = options.clock ?? realClock;
  const gapMs = options.gapMs ?? 30;
  const burstChars = options.burstChars ?? 16;
  let held: { events: KeyEvent[]; text: string; paste: boolean } | undefined;
  let timer: unknown;

  const release = (): void => {
    if (timer !== undefined) clock.clearTimer(timer);
    timer = undefined;
    const out = held;
    held = undefined;
    if (!out) return;
    listener(out.paste ? [{ type: "paste", text: out.text }] : out.events);
  };
  const hold = (next: NonNullable<typeof held>): void => {
    if (timer !== undefined) clock.clearTimer(timer);
    held = next;
    timer = clock.setTimer(release, gapMs);
  };

  return {
    push(events) {
      const text = typedText(events);
      if (held && text !== undefined) {
        hold({ events: [...held.events, ...events], text: held.text + text, paste: true });
        return;
      }
      release();
      if (text === undefined) {
        if (events.length > 0) listener(events);
        return;
      }
      if (/[^\n]\n+[^\n]/.test(text)) hold({ events, text, paste: true });
      else if (text.endsWith("\n") && text.length > burstChars)
        hold({ events, text, paste: false });
      else if (events.length > 0) listener(events);
    },
    dispose() {
      if (timer !== undefined) clock.clearTimer(timer);
      timer = undefined;
    },
  };
}

/** The text a read types (Enter and Ctrl+J as newlines), or undefined if it has other keys. */
function typedText(events: readonly KeyEvent[]): string | undefined {
  let text = "";
  for (const event of events) {
    if (event.type !== "key") return undefined;
    if (event.name === "char" && !event.ctrl && !event.alt && event.char) text += event.char;
    else if (event.name === "enter" && !event.ctrl && !event.alt) text += "\n";
    else if (event.name === "char" && event.ctrl && event.char === "j" && !event.alt) text += "\n";
    else if (event.name === "tab" && !event.shift && !event.ctrl && !event.alt) text += "\t";
    else return undefined;
  }
  return text;
}
