/**
 * A request body checked as JSON without building it: one pass over the bytes that accepts
 * exactly what `JSON.parse(raw.toString("utf8"))` accepts (any nesting depth, any number) and
 * notes where each top-level member's value lies. Routing reads only a few top-level fields
 * (`model`, `stream`, `max_tokens`, whether `messages` is an array): on pass-through the body is
 * forwarded as received, so building the whole object tree of a 100 KB agent request (and
 * collecting it afterwards) is work no one uses.
 *
 * The scan works on bytes: every structural character, digit, escape and whitespace of JSON is
 * ASCII, an ASCII byte is never part of a multi-byte UTF-8 sequence, and a byte sequence that is
 * not UTF-8 decodes to U+FFFD, which JSON.parse accepts inside a string and refuses outside one,
 * as the scan does for any byte from 0x80.
 */

/** Where the value of a top-level member lies in the body: [start, end) byte offsets. */
export interface MemberSpan {
  start: number;
  end: number;
  /** How many times the key appears at the top level (JSON.parse keeps the last: so does this). */
  count: number;
}

/** What a scan found: not JSON, JSON but not an object, or the object's top-level members. */
export type JsonScan =
  | { kind: "invalid" }
  | { kind: "not_object" }
  | { kind: "object"; members: Map<string, MemberSpan> };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Bytes that end the plain run of a string: `"`, `\` and the control characters JSON refuses. */
const STRING_STOP = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte += 1) STRING_STOP[byte] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;
/** The characters a single-character escape may name: `\" \\ \/ \b \f \n \r \t`. */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const char of '"\\/bfnrt') SIMPLE_ESCAPE[char.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const char of "0123456789abcdefABCDEF") HEX[char.charCodeAt(0)] = 1;

const isSpace = (byte: number | undefined): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
const isDigit = (byte: number | undefined): boolean =>
  byte !== undefined && byte >= 0x30 && byte <= 0x39;

/** The body being scanned as 32-bit words, when it is 4-byte aligned in memory (`plainRun`). */
let wordView: Uint32Array | undefined;
let wordsOf: Uint8Array | undefined;

/**
 * Scans `raw` (see the module comment). Never throws; allocates only the top-level map (and,
 * given a tape, notes where each string, array and object value ends on it).
 */
export function scanJson(raw: Uint8Array, into?: JsonTape): JsonScan {
  tape = into;
  try {
    return withJsonBytes(raw, () => scanObject(raw, raw.length));
  } finally {
    tape = undefined;
  }
}

/**
 * Runs `read` with the scanner set up for `raw` (its 32-bit word view): the `valueEnd` and
 * `stringEnd` calls `read` makes on `raw` skip string runs four bytes at a time.
 */
export function withJsonBytes<T>(raw: Uint8Array, read: () => T): T {
  wordsOf = raw;
  wordView =
    (raw.byteOffset & 3) === 0
      ? new Uint32Array(raw.buffer, raw.byteOffset, raw.length >>> 2)
      : undefined;
  try {
    return read();
  } finally {
    wordsOf = undefined;
    wordView = undefined;
  }
}

/** The offset after the JSON value starting at `at` (no leading space), or -1 when invalid. */
export function valueEnd(raw: Uint8Array, at: number): number {
  return scanValue(raw, at);
}

/** The offset after the JSON string starting at `at` (a `"`), or -1 when invalid. */
export function stringEnd(raw: Uint8Array, at: number): number {
  return scanString(raw, at);
}

function scanObject(raw: Uint8Array, length: number): JsonScan {
  let at = skipSpace(raw, 0);
  if (raw[at] !== 0x7b) {
    // Not an object: still JSON (an array, a string, a number, a literal) or not.
    const end = scanValue(raw, at);
    return end >= 0 && skipSpace(raw, end) === length ? { kind: "not_object" } : INVALID;
  }
  const members = new Map<string, MemberSpan>();
  at = skipSpace(raw, at + 1);
  if (raw[at] === 0x7d)
    return skipSpace(raw, at + 1) === length ? { kind: "object", members } : INVALID;
  for (;;) {
    if (raw[at] !== QUOTE) return INVALID;
    const keyStart = at;
    const keyEnd = scanString(raw, at);
    if (keyEnd < 0) return INVALID;
    at = skipSpace(raw, keyEnd);
    if (raw[at] !== 0x3a) return INVALID;
    const start = skipSpace(raw, at + 1);
    const end = scanValue(raw, start);
    if (end < 0) return INVALID;
    const key = keyOf(raw, keyStart, keyEnd);
    const seen = members.get(key);
    members.set(key, { start, end, count: (seen?.count ?? 0) + 1 });
    at = skipSpace(raw, end);
    if (raw[at] === 0x2c) {
      at = skipSpace(raw, at + 1);
      continue;
    }
    if (raw[at] !== 0x7d) return INVALID;
    return skipSpace(raw, at + 1) === length ? { kind: "object", members } : INVALID;
  }
}

const INVALID: JsonScan = { kind: "invalid" };

/** A key as JSON.parse would give it: decoded only when it holds an escape. */
export function keyOf(raw: Uint8Array, start: number, end: number): string {
  const text = Buffer.from(raw.buffer, raw.byteOffset + start, end - start).toString("utf8");
  return text.includes("\\") ? (JSON.parse(text) as string) : text.slice(1, -1);
}

/** The first offset from `at` that is not JSON whitespace. */
export function skipSpace(raw: Uint8Array, at: number): number {
  while (isSpace(raw[at])) at += 1;
  return at;
}

/** The offset after the string starting at `at` (a `"`), or -1 when it is not a JSON string. */
function scanString(raw: Uint8Array, at: number): number {
  const length = raw.length;
  at += 1;
  for (;;) {
    at = plainRun(raw, at, length);
    if (at >= length) return -1;
    const byte = raw[at] as number;
    if (byte === QUOTE) return at + 1;
    if (byte !== BACKSLASH) return -1; // a control character
    const escaped = raw[at + 1];
    if (escaped === undefined) return -1;
    if (SIMPLE_ESCAPE[escaped] === 1) at += 2;
    else if (
      escaped === 0x75 &&
      HEX[raw[at + 2] ?? 0] === 1 &&
      HEX[raw[at + 3] ?? 0] === 1 &&
      HEX[raw[at + 4] ?? 0] === 1 &&
      HEX[raw[at + 5] ?? 0] === 1
    )
      at += 6;
    else return -1;
  }
}

/**
 * Past the bytes from `at` that need no look (no `"`, `\\`, control character): four at a time
 * where the body is 4-byte aligned in memory (the test for a byte under 0x20, or equal to `"` or
 * `\\`, in a 32-bit word is exact), then byte by byte. Most of an agent request is such runs.
 */
function plainRun(raw: Uint8Array, at: number, length: number): number {
  const words = wordsOf === raw ? wordView : undefined;
  if (words !== undefined) {
    while (at < length && (at & 3) !== 0 && STRING_STOP[raw[at] as number] === 0) at += 1;
    if ((at & 3) === 0) {
      let word = at >>> 2;
      const last = words.length;
      while (word < last) {
        const x = words[word] as number;
        const quote = x ^ 0x22222222;
        const backslash = x ^ 0x5c5c5c5c;
        if (
          ((x - 0x20202020) & ~x & 0x80808080) |
          ((quote - 0x01010101) & ~quote & 0x80808080) |
          ((backslash - 0x01010101) & ~backslash & 0x80808080)
        )
          break;
        word += 1;
      }
      at = word << 2;
    }
  }
  while (at < length && STRING_STOP[raw[at] as number] === 0) at += 1;
  return at;
}

/** The offset after the number starting at `at`, or -1. */
function scanNumber(raw: Uint8Array, at: number): number {
  if (raw[at] === 0x2d) at += 1;
  if (raw[at] === 0x30) at += 1;
  else if (isDigit(raw[at])) while (isDigit(raw[at])) at += 1;
  else return -1;
  if (raw[at] === 0x2e) {
    at += 1;
    if (!isDigit(raw[at])) return -1;
    while (isDigit(raw[at])) at += 1;
  }
  if (raw[at] === 0x65 || raw[at] === 0x45) {
    at += 1;
    if (raw[at] === 0x2b || raw[at] === 0x2d) at += 1;
    if (!isDigit(raw[at])) return -1;
    while (isDigit(raw[at])) at += 1;
  }
  return at;
}

/** The offset after `word` (`true`, `false`, `null`) at `at`, or -1. */
function scanWord(raw: Uint8Array, at: number, word: Uint8Array): number {
  for (let index = 0; index < word.length; index += 1)
    if (raw[at + index] !== word[index]) return -1;
  return at + word.length;
}

const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const NULL = Buffer.from("null");

/**
 * The offset after the JSON value starting at `at` (no leading space), or -1. Nested arrays and
 * objects are followed with a stack of their kinds, not recursion: nesting as deep as the body
 * is long must not overflow the call stack (JSON.parse accepts it).
 */
function scanValue(raw: Uint8Array, at: number): number {
  let stack: Uint8Array | undefined;
  // With a tape: each open container's entry on it, to note its end when it closes.
  let opened: Int32Array | undefined;
  let depth = 0;
  for (;;) {
    // A value starts at `at`.
    const byte = raw[at];
    if (byte === QUOTE) {
      const start = at;
      at = scanString(raw, at);
      if (tape !== undefined && at >= 0) tape.add(start, at);
    } else if (byte === 0x7b || byte === 0x5b) {
      const object = byte === 0x7b;
      const start = at;
      at = skipSpace(raw, at + 1);
      if (raw[at] === (object ? 0x7d : 0x5d)) {
        at += 1;
        tape?.add(start, at);
      } else {
        stack ??= new Uint8Array(64);
        if (depth === stack.length) {
          const grown = new Uint8Array(stack.length * 2);
          grown.set(stack);
          stack = grown;
        }
        stack[depth] = object ? 1 : 0;
        if (tape !== undefined) {
          opened ??= new Int32Array(stack.length);
          if (opened.length < stack.length) {
            const grown = new Int32Array(stack.length);
            grown.set(opened);
            opened = grown;
          }
          opened[depth] = tape.add(start, -1);
        }
        depth += 1;
        if (object) {
          at = memberValue(raw, at);
          if (at < 0) return -1;
        }
        continue;
      }
    } else if (byte === 0x74) at = scanWord(raw, at, TRUE);
    else if (byte === 0x66) at = scanWord(raw, at, FALSE);
    else if (byte === 0x6e) at = scanWord(raw, at, NULL);
    else at = scanNumber(raw, at);
    if (at < 0) return -1;
    // A value ended: close the containers it completes, or move to the next element.
    for (;;) {
      if (depth === 0 || stack === undefined) return at;
      const object = stack[depth - 1] === 1;
      at = skipSpace(raw, at);
      if (raw[at] === 0x2c) {
        at = skipSpace(raw, at + 1);
        if (object) {
          at = memberValue(raw, at);
          if (at < 0) return -1;
        }
        break;
      }
      if (raw[at] !== (object ? 0x7d : 0x5d)) return -1;
      at += 1;
      depth -= 1;
      if (opened !== undefined) tape?.close(opened[depth] as number, at);
    }
  }
}

/**
 * Where each string and each array or object value of a body ends, in the order they start (keys
 * are not on it): with it, finding the end of a value is a lookup, not another scan, so a reader
 * can step over the members and items it does not read (see json-raw.ts).
 */
export class JsonTape {
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private count = 0;

  /** Notes a value at `start` (its end, or -1 until `close`); returns its entry. */
  add(start: number, end: number): number {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2);
      starts.set(this.starts);
      this.starts = starts;
      const ends = new Int32Array(this.count * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    return this.count++;
  }

  close(entry: number, end: number): void {
    this.ends[entry] = end;
  }

  /** The end of the string, array or object value starting at `start`, or -1 when not on it. */
  endAt(start: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = this.starts[middle] as number;
      if (at === start) return this.ends[middle] as number;
      if (at < start) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}

/** The tape `scanJson` writes, while it runs with one. */
let tape: JsonTape | undefined;

/** Past `"key" :` of an object member starting at `at`: where its value starts, or -1. */
function memberValue(raw: Uint8Array, at: number): number {
  if (raw[at] !== QUOTE) return -1;
  at = scanString(raw, at);
  if (at < 0) return -1;
  at = skipSpace(raw, at);
  if (raw[at] !== 0x3a) return -1;
  return skipSpace(raw, at + 1);
}
