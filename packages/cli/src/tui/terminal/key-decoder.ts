import { StringDecoder } from "node:string_decoder";
import { key, type KeyEvent, type KeyName, type KeyPress } from "./key-event.js";

/** Timers the decoder uses (injectable: tests drive a fake clock). */
export interface DecoderClock {
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Options of {@link createKeyDecoder}. */
export interface KeyDecoderOptions {
  /**
   * How long a lone ESC waits for the rest of a sequence before it counts as the Escape key.
   * Terminals send a sequence in one write, so a short wait only matters over slow links.
   */
  escTimeoutMs?: number;
  /** A bracketed paste whose end marker never comes is delivered after this long anyway. */
  pasteTimeoutMs?: number;
  clock?: DecoderClock;
}

/** Turns terminal input bytes into key events; see {@link createKeyDecoder}. */
export interface KeyDecoder {
  /** Decodes a chunk; complete events go to the listener (one call per chunk, if any). */
  feed(chunk: Buffer | string): void;
  /** Delivers whatever waits (a lone ESC, an unfinished paste) now. */
  flush(): void;
  /** Drops timers (the key source is closing). */
  dispose(): void;
}

const ESC = "\x1b";
const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

const realClock: DecoderClock = {
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A decoder for what terminals send: UTF-8 text split anywhere, CSI and SS3 sequences with
 * xterm modifiers (`ESC[1;3A` = Alt+Up), Alt as an ESC prefix (`ESC ESC[A`, `ESC b`), kitty's
 * CSI-u and xterm's modifyOtherKeys (`ESC[13;2u`, `ESC[27;2;13~` = Shift+Enter; keypad Enter
 * `ESC[57414u`), `\`+Enter as sent by editors' "Shift+Enter" bindings, Ctrl+J, and bracketed
 * paste across any number of reads. A lone ESC is ambiguous until the next byte or a short
 * timeout, after which it is the Escape key.
 */
export function createKeyDecoder(
  listener: (events: KeyEvent[]) => void,
  options: KeyDecoderOptions = {},
): KeyDecoder {
  const escTimeoutMs = options.escTimeoutMs ?? 30;
  const pasteTimeoutMs = options.pasteTimeoutMs ?? 30_000;
  const clock = options.clock ?? realClock;
  const utf8 = new StringDecoder("utf8");
  let pending = "";
  let paste: string | undefined;
  let timer: unknown;

  const emit = (events: KeyEvent[]): void => {
    if (events.length > 0) listener(events);
  };
  const stopTimer = (): void => {
    if (timer !== undefined) clock.clearTimer(timer);
    timer = undefined;
  };

  const decode = (final: boolean): KeyEvent[] => {
    const events: KeyEvent[] = [];
    const text = pending;
    pending = "";
    let index = 0;
    while (index < text.length) {
      if (paste !== undefined) {
        const end = text.indexOf(PASTE_END, index);
        if (end >= 0) {
          events.push({ type: "paste", text: paste + text.slice(index, end) });
          paste = undefined;
          index = end + PASTE_END.length;
          continue;
        }
        // Keep a tail that may be the start of the end marker for the next read.
        const keep = final ? 0 : markerPrefixLength(text, index);
        paste += text.slice(index, text.length - keep);
        pending = text.slice(text.length - keep);
        if (final) {
          events.push({ type: "paste", text: paste });
          paste = undefined;
        }
        return events;
      }
      if (text.startsWith(PASTE_START, index)) {
        paste = "";
        index += PASTE_START.length;
        continue;
      }
      const parsed = parseOne(text, index, final);
      if (parsed === "incomplete") {
        pending = text.slice(index);
        return events;
      }
      if (parsed.event) events.push(parsed.event);
      index = parsed.next;
    }
    if (final && paste !== undefined) {
      events.push({ type: "paste", text: paste });
      paste = undefined;
    }
    return events;
  };

  const armTimer = (): void => {
    stopTimer();
    if (paste !== undefined) timer = clock.setTimer(onTimeout, pasteTimeoutMs);
    else if (pending) timer = clock.setTimer(onTimeout, escTimeoutMs);
  };
  const onTimeout = (): void => {
    timer = undefined;
    emit(decode(true));
  };

  return {
    feed(chunk) {
      stopTimer();
      pending += typeof chunk === "string" ? chunk : utf8.write(chunk);
      emit(decode(false));
      armTimer();
    },
    flush() {
      stopTimer();
      emit(decode(true));
    },
    dispose: stopTimer,
  };
}

/** The longest tail of `text` (from `from`) that could begin the paste end marker. */
function markerPrefixLength(text: string, from: number): number {
  for (let length = Math.min(PASTE_END.length - 1, text.length - from); length > 0; length--) {
    if (PASTE_END.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

type Parsed = { event: KeyEvent | undefined; next: number } | "incomplete";

/** Parses the key at `index`; `final`: nothing more will come (a waiting ESC is Escape). */
function parseOne(text: string, index: number, final: boolean): Parsed {
  const char = text[index] ?? "";
  if (char === ESC) return parseEscape(text, index, final);
  // `\` immediately followed by Enter in one read: an editor's Shift+Enter binding.
  if (char === "\\" && text[index + 1] === "\r") {
    const next = text[index + 2] === "\n" ? index + 3 : index + 2;
    return { event: key("enter", { shift: true }), next };
  }
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0xd800 && code <= 0xdbff && index + 1 >= text.length && !final) return "incomplete";
  const point = String.fromCodePoint(text.codePointAt(index) ?? 0);
  return { event: controlOrChar(point), next: index + point.length };
}

/** A single character: C0 controls as Ctrl keys, DEL as Backspace, the rest printable. */
function controlOrChar(char: string): KeyPress | undefined {
  const code = char.codePointAt(0) ?? 0;
  if (char === "\r") return key("enter");
  if (char === "\t") return key("tab");
  if (char === "\x7f") return key("backspace");
  if (char === "\x08") return key("backspace", { ctrl: true });
  if (char === ESC) return key("escape");
  if (code === 0) return key("char", { char: " ", ctrl: true });
  if (code >= 1 && code <= 26)
    return key("char", { char: String.fromCharCode(code + 96), ctrl: true });
  if (code >= 28 && code <= 31) return key("char", { char: "\\]^_"[code - 28] ?? "", ctrl: true });
  if (code < 32 || (code >= 0x80 && code < 0xa0)) return undefined;
  return key("char", { char });
}

function parseEscape(text: string, index: number, final: boolean): Parsed {
  const next = text[index + 1];
  if (next === undefined) {
    return final ? { event: key("escape"), next: index + 1 } : "incomplete";
  }
  if (next === "[") return parseCsi(text, index, final);
  if (next === "O") {
    const last = text[index + 2];
    if (last === undefined) return final ? { event: key("escape"), next: index + 1 } : "incomplete";
    return { event: ss3Key(last), next: index + 3 };
  }
  if (next === ESC) {
    // ESC ESC[A: Alt with a sequence (or Escape pressed twice).
    const inner = parseEscape(text, index + 1, final);
    if (inner === "incomplete") return inner;
    if (inner.event?.type === "key" && inner.next > index + 2)
      return { event: { ...inner.event, alt: true }, next: inner.next };
    return { event: key("escape"), next: index + 1 };
  }
  const point = String.fromCodePoint(text.codePointAt(index + 1) ?? 0);
  const inner = controlOrChar(point);
  return { event: inner && { ...inner, alt: true }, next: index + 1 + point.length };
}

/** `ESC [ params intermediates final`; an unfinished one waits unless `final`. */
function parseCsi(text: string, index: number, final: boolean): Parsed {
  let cursor = index + 2;
  while (cursor < text.length && /[0-9;:<=>?]/.test(text[cursor] ?? "")) cursor++;
  while (cursor < text.length && /[ -/]/.test(text[cursor] ?? "")) cursor++;
  const last = text[cursor];
  if (last === undefined) {
    // Cut off: wait for the rest; if nothing comes, it was Escape and the rest typed text.
    return final ? { event: key("escape"), next: index + 1 } : "incomplete";
  }
  const params = text.slice(index + 2, cursor);
  return { event: csiKey(params, last), next: cursor + 1 };
}

const CSI_LETTERS: Record<string, KeyName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
  P: "f1",
  Q: "f2",
  R: "f3",
  S: "f4",
};
const TILDE_KEYS: Record<string, KeyName> = {
  "1": "home",
  "7": "home",
  "4": "end",
  "8": "end",
  "2": "insert",
  "3": "delete",
  "5": "pageup",
  "6": "pagedown",
  "11": "f1",
  "12": "f2",
  "13": "f3",
  "14": "f4",
  "15": "f5",
  "17": "f6",
  "18": "f7",
  "19": "f8",
  "20": "f9",
  "21": "f10",
  "23": "f11",
  "24": "f12",
};

function csiKey(params: string, last: string): KeyPress | undefined {
  if (params.startsWith("<") || params.startsWith("?")) return undefined; // mouse, replies
  const fields = params.split(";");
  const first = fields[0] ?? "";
  const modifiers = modifierFlags(fields[1]);
  if (last === "Z") return key("tab", { shift: true });
  if (last === "u") {
    // kitty: code[:shifted[:base]];modifiers[:event] — event 3 is a release.
    if ((fields[1] ?? "").split(":")[1] === "3") return undefined;
    return withModifiers(codeKey(Number(first.split(":")[0])), modifiers);
  }
  if (last === "~") {
    if (first === "27") return withModifiers(codeKey(Number(fields[2])), modifierFlags(fields[1]));
    const name = TILDE_KEYS[first];
    return name ? withModifiers(key(name), modifiers) : undefined;
  }
  const name = CSI_LETTERS[last];
  return name ? withModifiers(key(name), modifiers) : undefined; // focus reports and others: none
}

function ss3Key(last: string): KeyPress | undefined {
  if (last === "M") return key("enter");
  const name = CSI_LETTERS[last];
  return name ? key(name) : undefined;
}

/** A key by Unicode code (CSI-u, modifyOtherKeys), keypad keys included. */
function codeKey(code: number): KeyPress | undefined {
  if (!Number.isInteger(code) || code <= 0) return undefined;
  if (code === 13 || code === 57414) return key("enter");
  if (code === 9) return key("tab");
  if (code === 27) return key("escape");
  if (code === 127 || code === 8) return key("backspace");
  if (code >= 57399 && code <= 57408) return key("char", { char: String(code - 57399) });
  const keypad: Record<number, string> = {
    57409: ".",
    57410: "/",
    57411: "*",
    57412: "-",
    57413: "+",
    57415: "=",
  };
  const char = keypad[code] ?? (code >= 32 && code < 0xe000 ? String.fromCodePoint(code) : "");
  return char ? key("char", { char }) : undefined;
}

/** xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4 | meta 8 …). */
function modifierFlags(field: string | undefined): Pick<KeyPress, "ctrl" | "alt" | "shift"> {
  const value = Number((field ?? "1").split(":")[0]) - 1;
  const bits = Number.isInteger(value) && value > 0 ? value : 0;
  return { shift: (bits & 1) !== 0, alt: (bits & 2) !== 0, ctrl: (bits & 4) !== 0 };
}

function withModifiers(
  press: KeyPress | undefined,
  modifiers: Pick<KeyPress, "ctrl" | "alt" | "shift">,
): KeyPress | undefined {
  if (!press) return undefined;
  const merged = {
    ...press,
    ctrl: press.ctrl || modifiers.ctrl,
    alt: press.alt || modifiers.alt,
    shift: press.shift || modifiers.shift,
  };
  // Shift with a letter is the capital letter (as the legacy encoding sends it).
  if (merged.name === "char" && merged.char && merged.shift && !merged.ctrl) {
    return { ...merged, char: merged.char.toUpperCase(), shift: false };
  }
  if (merged.name === "char" && merged.char && merged.ctrl) {
    return { ...merged, char: merged.char.toLowerCase() };
  }
  return merged;
}
