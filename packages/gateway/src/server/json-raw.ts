import { keyOf, skipSpace, stringEnd, valueEnd } from "./json-scan.js";

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
 * The members of the object at `at`, or undefined when the value is no object. A key that appears
 * twice (JSON.parse keeps the last, another parser may keep the first) or a `__proto__` key (which
 * a schema library's copy would turn into a prototype) gives up (`NotRaw`).
 */
export function membersAt(raw: Uint8Array, at: number): Map<string, Span> | undefined {
  if (raw[at] !== 0x7b) return undefined;
  const members = new Map<string, Span>();
  let pos = skipSpace(raw, at + 1);
  if (raw[pos] === 0x7d) return members;
  for (;;) {
    const keyEnd = stringEnd(raw, pos);
    if (keyEnd < 0) notRaw();
    const key = keyOf(raw, pos, keyEnd);
    if (key === "__proto__" || members.has(key)) notRaw();
    const start = skipSpace(raw, skipSpace(raw, keyEnd) + 1);
    const end = valueEnd(raw, start);
    if (end < 0) notRaw();
    members.set(key, { start, end });
    pos = skipSpace(raw, end);
    if (raw[pos] !== 0x2c) return members;
    pos = skipSpace(raw, pos + 1);
  }
}

/** The items of the array at `at`, or undefined when the value is no array. */
export function itemsAt(raw: Uint8Array, at: number): Span[] | undefined {
  if (raw[at] !== 0x5b) return undefined;
  const items: Span[] = [];
  let pos = skipSpace(raw, at + 1);
  if (raw[pos] === 0x5d) return items;
  for (;;) {
    const end = valueEnd(raw, pos);
    if (end < 0) notRaw();
    items.push({ start: pos, end });
    pos = skipSpace(raw, end);
    if (raw[pos] !== 0x2c) return items;
    pos = skipSpace(raw, pos + 1);
  }
}

/** The value JSON.parse gives for `span`. */
export function valueOf(raw: Buffer, span: Span): unknown {
  return JSON.parse(raw.toString("utf8", span.start, span.end)) as unknown;
}

/** Nesting deeper than this is left to JSON.parse (the check recurses). */
const MAX_DEPTH = 64;

/**
 * Gives up (`NotRaw`) unless the bytes of `span` are, as JSON, the same value JSON.parse →
 * JSON.stringify would send: no repeated or `__proto__` key at any depth, and every number
 * written as JavaScript prints it (`1e400` becomes `null`, `12345678901234567890` loses digits,
 * `1.0` becomes `1`, `-0` becomes `0`). Strings need no check: the body is valid UTF-8 and an
 * escape means the same character to every JSON parser.
 */
export function checkCopyable(raw: Buffer, span: Span, depth = 0): void {
  if (depth > MAX_DEPTH) notRaw();
  switch (kindAt(raw, span.start)) {
    case "object":
      for (const member of (membersAt(raw, span.start) as Map<string, Span>).values())
        checkCopyable(raw, member, depth + 1);
      return;
    case "array":
      for (const item of itemsAt(raw, span.start) as Span[]) checkCopyable(raw, item, depth + 1);
      return;
    case "number": {
      const text = raw.toString("latin1", span.start, span.end);
      if (String(Number(text)) !== text) notRaw();
      return;
    }
    default:
      return;
  }
}
