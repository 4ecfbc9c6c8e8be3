import { describe, expect, it } from "vitest";
import { JsonTape, scanJson } from "./json-scan.js";
import { kindAt, NotRaw, RawJson, type Span } from "./json-raw.js";

/** The value at `at`, rebuilt only from the tape's member and item ranges. */
function rebuild(json: RawJson, at: number): unknown {
  switch (kindAt(json.raw, at)) {
    case "object": {
      const members = json.membersAt(at) ?? new Map<string, Span>();
      return Object.fromEntries(
        [...members].map(([key, span]) => [key, rebuild(json, span.start)]),
      );
    }
    case "array":
      return (json.itemsAt(at) ?? []).map((span) => rebuild(json, span.start));
    default:
      return json.valueOf({ start: at, end: json.endAt(at) });
  }
}

function view(text: string): RawJson {
  const raw = Buffer.from(text);
  const tape = new JsonTape();
  expect(scanJson(raw, tape).kind).toBe("object");
  return new RawJson(raw, tape);
}

/** A random JSON value written with random whitespace, so ranges must skip it. */
function randomJson(random: () => number, depth: number): string {
  const space = (): string => (random() < 0.3 ? (" \n\t"[Math.floor(random() * 3)] ?? "") : "");
  const kind = Math.floor(random() * (depth > 3 ? 4 : 6));
  if (kind === 0)
    return JSON.stringify(["", "a", 'q"uo\\te', "é😀", '{"k":[1]}'][Math.floor(random() * 5)]);
  if (kind === 1) return ["0", "-1.5e3", "12", "1E+2"][Math.floor(random() * 4)] ?? "0";
  if (kind === 2) return ["true", "false", "null"][Math.floor(random() * 3)] ?? "null";
  if (kind === 3) return `{${space()}}`;
  const count = Math.floor(random() * 4);
  const items = Array.from({ length: count }, (_, index) =>
    kind === 4
      ? `${space()}${randomJson(random, depth + 1)}${space()}`
      : `${space()}"k${index}"${space()}:${space()}${randomJson(random, depth + 1)}${space()}`,
  );
  return kind === 4 ? `[${items.join(",")}]` : `{${items.join(",")}${space()}}`;
}

describe("RawJson (member and item ranges from the scan's tape)", () => {
  it("rebuilds every generated body as JSON.parse reads it", () => {
    let state = 7;
    const random = (): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    for (let index = 0; index < 1000; index += 1) {
      const text = `{"body":${randomJson(random, 0)},"n":[${randomJson(random, 2)}]}`;
      const json = view(text);
      expect({ text, value: rebuild(json, 0) }).toEqual({
        text,
        value: JSON.parse(text) as unknown,
      });
    }
  });

  it("refuses bytes JSON.parse → JSON.stringify would not send as they are", () => {
    for (const schema of [
      '{"a":1,"a":2}',
      '{"__proto__":{}}',
      '{"a":{"b":1e400}}',
      '{"a":[12345678901234567890]}',
      '{"a":1.0}',
      '{"a":-0}',
      '{"\\u0061":1}',
    ]) {
      const json = view(`{"s":${schema}}`);
      const span = json.membersAt(0)?.get("s");
      expect(span).toBeDefined();
      expect(() => json.checkCopyable(span ?? { start: 0, end: 0 })).toThrow(NotRaw);
    }
    const json = view('{"s":{"a":[1,-2,0.5,3e-7,"1e400"],"b":{"c":null,"d":true}}}');
    const span = json.membersAt(0)?.get("s");
    expect(() => json.checkCopyable(span ?? { start: 0, end: 0 })).not.toThrow();
  });
});
