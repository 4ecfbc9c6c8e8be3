import { keyOf, skipSpace, stringEnd, valueEnd, type JsonTape } from "./json-scan.js";

/**
 * A lazy view of a body `scanJson` already accepted: the members of an object and the items of an
 * array as byte ranges, found when asked for, so a translation reads the few fields it maps and
 * copies the rest as bytes. Anything whose bytes JSON.parse → JSON.stringify would not keep as
 * the same value (a repeated key, a `__proto__` key, a number that does not print back as
 * written) makes the view refuse (`NotRaw`), and the caller takes the parse-everything path.
 */

/** A value's bytes: [start, end) offsets into the body. */
export interface Span {
  start: number;
  end: number;
}

/** Thrown where the bytes cannot be used as they are; the caller falls back to JSON.parse. */
export class NotRaw extends Error {
  override name = "NotRaw";
}

/** Gives up on the raw view (see `NotRaw`). */
export function notRaw(): never {
  throw new NotRaw("not raw-copyable");
}

/** `span` when it holds a JSON string, else null (absent or another kind). */
export function stringSpan(raw: Buffer, span: Span | undefined): Span | null {
  return span !== undefined && raw[span.start] === 0x22 ? span : null;
}

/** The JSON kind of the value starting at `at`, from its first byte. */
export function kindAt(
  raw: Uint8Array,
  at: number,
): "object" | "array" | "string" | "number" | "boolean" | "null" {
  switch (raw[at]) {
    case 0x7b:
      return "object";
    case 0x5b:
      return "array";
    case 0x22:
      return "string";
    case 0x74:
    case 0x66:
      return "boolean";
    case 0x6e:
      return "null";
    default:
      return "number";
  }
}

/**
 * A body `scanJson` accepted, with the tape it wrote (where each string, array and object ends):
 * members and items are found by stepping from one value to the next, never by scanning a value
 * that is not read.
 */
export class RawJson {
  constructor(
    readonly raw: Buffer,
    private readonly tape: JsonTape,
  ) {}

  /** The offset after the value starting at `at`. */
  endAt(at: number): number {
    const byte = this.raw[at];
    const end =
      byte === 0x22 || byte === 0x7b || byte === 0x5b
        ? this.tape.endAt(at)
        : valueEnd(this.raw, at);
    if (end < 0) notRaw();
    return end;
  }

  /**
   * The members of the object at `at`, or undefined when the value is no object. A key that
   * appears twice (JSON.parse keeps the last, another parser may keep the first) or a `__proto__`
   * key (which a schema library's copy would turn into a prototype) gives up (`NotRaw`).
   */
  membersAt(at: number): Map<string, Span> | undefined {
    const raw = this.raw;
    if (raw[at] !== 0x7b) return undefined;
    const members = new Map<string, Span>();
    let pos = skipSpace(raw, at + 1);
    if (raw[pos] === 0x7d) return members;
    for (;;) {
      const keyEnd = stringEnd(raw, pos);
      if (keyEnd < 0) notRaw();
      const key = keyText(raw, pos, keyEnd);
      if (key === "__proto__" || members.has(key)) notRaw();
      const start = skipSpace(raw, skipSpace(raw, keyEnd) + 1);
      const end = this.endAt(start);
      members.set(key, { start, end });
      pos = skipSpace(raw, end);
      if (raw[pos] !== 0x2c) return members;
      pos = skipSpace(raw, pos + 1);
    }
  }

  /** The items of the array at `at`, or undefined when the value is no array. */
  itemsAt(at: number): Span[] | undefined {
    const raw = this.raw;
    if (raw[at] !== 0x5b) return undefined;
    const items: Span[] = [];
    let pos = skipSpace(raw, at + 1);
    if (raw[pos] === 0x5d) return items;
    for (;;) {
      const end = this.endAt(pos);
      items.push({ start: pos, end });
      pos = skipSpace(raw, end);
      if (raw[pos] !== 0x2c) return items;
      pos = skipSpace(raw, pos + 1);
    }
  }

  /** The value JSON.parse gives for `span`. */
  valueOf(span: Span): unknown {
    return JSON.parse(this.raw.toString("utf8", span.start, span.end)) as unknown;
  }

  /** The JSON string at `span` as JSON.parse reads it. */
  stringOf(span: Span): string {
    return keyText(this.raw, span.start, span.end);
  }

  /**
   * Gives up (`NotRaw`) unless the bytes of `span` are, as JSON, the same value JSON.parse →
   * JSON.stringify would send: no repeated or `__proto__` key at any depth, and every number
   * written as JavaScript prints it (`1e400` becomes `null`, `12345678901234567890` loses
   * digits, `1.0` becomes `1`, `-0` becomes `0`). Strings need no check: the body is valid UTF-8
   * and an escape means the same character to every JSON parser. A key holding an escape gives
   * up too: repeated keys are found by comparing bytes.
   */
  checkCopyable(span: Span): void {
    this.check(span.start, 0);
  }

  /** The offset after the value at `at`, checked as `checkCopyable` says. */
  private check(at: number, depth: number): number {
    const raw = this.raw;
    const byte = raw[at];
    if (byte === 0x22) return this.endAt(at);
    if (byte === 0x7b || byte === 0x5b) {
      if (depth > MAX_DEPTH) notRaw();
      const object = byte === 0x7b;
      let pos = skipSpace(raw, at + 1);
      if (raw[pos] === (object ? 0x7d : 0x5d)) return pos + 1;
      const keys: number[] = [];
      for (;;) {
        if (object) {
          const keyEnd = stringEnd(raw, pos);
          if (keyEnd < 0) notRaw();
          checkKey(raw, pos, keyEnd, keys);
          pos = skipSpace(raw, skipSpace(raw, keyEnd) + 1);
        }
        pos = skipSpace(raw, this.check(pos, depth + 1));
        if (raw[pos] !== 0x2c) return pos + 1;
        pos = skipSpace(raw, pos + 1);
      }
    }
    const end = this.endAt(at);
    if (byte === 0x74 || byte === 0x66 || byte === 0x6e) return end;
    if (!isPlainInteger(raw, at, end)) {
      const text = raw.toString("latin1", at, end);
      if (String(Number(text)) !== text) notRaw();
    }
    return end;
  }
}

/** True for an integer JavaScript prints as written: no `-0`, at most 15 digits. */
function isPlainInteger(raw: Buffer, start: number, end: number): boolean {
  const digits = raw[start] === 0x2d ? start + 1 : start;
  if (end - digits > 15 || (raw[digits] === 0x30 && end - digits === 1 && digits > start))
    return false;
  for (let at = digits; at < end; at += 1) {
    const byte = raw[at] as number;
    if (byte < 0x30 || byte > 0x39) return false;
  }
  return true;
}

const PROTO_KEY = Buffer.from('"__proto__"');

/**
 * Gives up on a key that holds an escape, is `__proto__` or repeats one of `keys` (the start and
 * end offsets of the object's earlier keys), then adds it to them.
 */
function checkKey(raw: Buffer, start: number, end: number, keys: number[]): void {
  for (let at = start + 1; at < end - 1; at += 1) if (raw[at] === 0x5c) notRaw();
  const length = end - start;
  if (length === PROTO_KEY.length && raw.compare(PROTO_KEY, 0, length, start, end) === 0) notRaw();
  for (let index = 0; index < keys.length; index += 2) {
    const other = keys[index] as number;
    if ((keys[index + 1] as number) - other !== length) continue;
    let same = true;
    for (let offset = 1; offset < length - 1 && same; offset += 1)
      same = raw[start + offset] === raw[other + offset];
    if (same) notRaw();
  }
  keys.push(start, end);
}

/** Nesting deeper than this is left to JSON.parse (the check recurses). */
const MAX_DEPTH = 64;

/**
 * The text of the JSON string at [start, end) as JSON.parse reads it: short ASCII text without
 * escapes (keys, roles, types) is read byte by byte, the rest decoded.
 */
function keyText(raw: Buffer, start: number, end: number): string {
  if (end - start <= 34) {
    for (let at = start + 1; at < end - 1; at += 1) {
      const byte = raw[at] as number;
      if (byte >= 0x80 || byte === 0x5c) return keyOf(raw, start, end);
    }
    return raw.toString("latin1", start + 1, end - 1);
  }
  return keyOf(raw, start, end);
}
