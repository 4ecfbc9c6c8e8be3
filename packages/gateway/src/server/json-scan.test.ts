import { describe, expect, it } from "vitest";
import { scanJson } from "./json-scan.js";

/** What JSON.parse makes of the bytes, the way the gateway reads a body. */
function parsed(raw: Buffer): { kind: "invalid" | "not_object" | "object"; value?: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch {
    return { kind: "invalid" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { kind: "not_object" };
  return { kind: "object", value };
}

/** The scan agrees with JSON.parse: same verdict, and each member's span holds its last value. */
function expectAgreement(raw: Buffer, compareValues = true): void {
  // Also at every alignment in memory (the scan reads 4 bytes at a time when aligned).
  for (const offset of [0, 1, 2, 3]) {
    const copy = Buffer.alloc(raw.length + offset);
    raw.copy(copy, offset);
    const view = copy.subarray(offset);
    const scan = scanJson(view);
    const expected = parsed(raw);
    expect({ text: raw.toString("latin1"), kind: scan.kind }).toEqual({
      text: raw.toString("latin1"),
      kind: expected.kind,
    });
    if (scan.kind !== "object" || !compareValues) continue;
    const object = expected.value as Record<string, unknown>;
    expect([...scan.members.keys()].sort()).toEqual(Object.keys(object).sort());
    for (const [key, span] of scan.members) {
      const value: unknown = JSON.parse(view.subarray(span.start, span.end).toString("utf8"));
      expect(value).toEqual(object[key]);
    }
  }
}

const valid = [
  '{"model":"a/b","stream":true,"messages":[{"role":"user","content":"hi"}]}',
  ' \t\r\n{ "model" : "a/b" , "max_tokens" : 1e400 , "x" : -0.5E-3 } \n',
  '{"model":"first","messages":[],"model":"last"}',
  '{"metadata":{"model":"nested"},"model":"top","text":"\\"model\\":\\"in a string\\""}',
  '{"mod\\u0065l":"escaped key","\\u006dodel":"again"}',
  '{"model":"caf\u00e9 \ud83d\ude00 \\ud83d \\/ \\b\\f\\n\\r\\t"}',
  '{"n":123456789012345678901234567890,"z":0,"neg":-0,"f":1.5e+10,"t":true,"f2":false,"n2":null}',
  '{"a":[[[[{"b":[{}]}]]]],"c":{},"d":[]}',
  '{"__proto__":{"model":"x"},"constructor":1}',
  "{}",
  '{"":""}',
  "[1,2]",
  '"just a string"',
  "42",
  "null",
];
const invalid = [
  "",
  " ",
  "{",
  "}",
  '{"model":"a/b",}',
  '{"model" "a/b"}',
  '{model:"a/b"}',
  "{'model':'a/b'}",
  '{"model":"a/b"} x',
  '{"model":"a/b"}{}',
  '{"model":"tab\there"}',
  '{"model":"nl\nhere"}',
  '{"model":"\\x41"}',
  '{"model":"\\u00G1"}',
  '{"model":"\\u00"}',
  '{"model":"unterminated}',
  '{"n":01}',
  '{"n":1.}',
  '{"n":.5}',
  '{"n":+1}',
  '{"n":1e}',
  '{"n":-}',
  '{"n":NaN}',
  '{"n":Infinity}',
  '{"t":tru}',
  '{"t":True}',
  '{"a":[1,]}',
  '{"a":[1 2]}',
  '{"a":{"b":1,}}',
  '{"a":{"b"}}',
  '{"a":[}',
  "\ufeff{}",
  '{"a":1}\u00a0',
  "[",
  "[1",
];

describe("scanJson", () => {
  it("agrees with JSON.parse on valid bodies, duplicates, escapes, nesting and huge numbers", () => {
    for (const text of valid) expectAgreement(Buffer.from(text));
  });

  it("refuses exactly what JSON.parse refuses", () => {
    for (const text of invalid) expectAgreement(Buffer.from(text));
    // Bytes that are not UTF-8: JSON.parse sees U+FFFD, fine inside a string, not outside one.
    expectAgreement(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expectAgreement(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0x7d]));
    expectAgreement(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0x22, 0x7d]));
  });

  it("takes the last of duplicate keys, as JSON.parse does, and counts them", () => {
    const scan = scanJson(Buffer.from('{"model":"a","mod\\u0065l":"b","model":"c"}'));
    expect(scan.kind).toBe("object");
    if (scan.kind !== "object") return;
    const model = scan.members.get("model");
    expect(model?.count).toBe(3);
  });

  it("follows nesting as deep as the body is long without overflowing the stack", () => {
    // (Values this deep are compared by verdict only: a deep equality check would recurse.)
    const depth = 200_000;
    expectAgreement(Buffer.from(`{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`), false);
    expectAgreement(Buffer.from(`{"a":${'{"b":'.repeat(depth)}1${"}".repeat(depth)}}`), false);
    expectAgreement(Buffer.from(`{"a":${"[".repeat(depth)}${"]".repeat(depth - 1)}}`), false);
  });

  it("agrees with JSON.parse on thousands of mutated bodies", () => {
    const seeds = valid.slice(0, 9).map((text) => Buffer.from(text));
    const alphabet = Buffer.from('{}[]":,\\ \t\n0123456789.eE+-tfnulrsaxu"\x00\x1f\x7f');
    let state = 0x2545f491;
    const random = (below: number): number => {
      // xorshift32: deterministic, so a failure can be replayed.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % below;
    };
    for (let round = 0; round < 4000; round += 1) {
      const seed = seeds[random(seeds.length)] as Buffer;
      const bytes = [...seed];
      for (let edits = 1 + random(3); edits > 0; edits -= 1) {
        const at = random(bytes.length + 1);
        const byte =
          random(10) === 0 ? 0x80 + random(128) : (alphabet[random(alphabet.length)] as number);
        const operation = random(3);
        if (operation === 0) bytes.splice(at, 1);
        else if (operation === 1) bytes.splice(at, 0, byte);
        else bytes[at] = byte;
      }
      expectAgreement(Buffer.from(bytes));
    }
  });
});
