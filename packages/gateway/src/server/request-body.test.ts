import { describe, expect, it } from "vitest";
import type { JsonObject } from "@hedge/wire";
import { scanJson } from "./json-scan.js";
import { RequestBody } from "./request-body.js";

function body(text: string): RequestBody {
  const raw = Buffer.from(text);
  const scan = scanJson(raw);
  if (scan.kind !== "object") throw new Error(`not an object: ${text}`);
  return new RequestBody(raw, scan.members);
}

const sent = (value: Buffer | string): string => value.toString();

describe("RequestBody", () => {
  it("replaces only the model's value, however the body is spaced or escaped", () => {
    const text =
      '{ "model" : "fast/m" ,\n "n": 12345678901234567890, "s": "say \\"model\\": x", "e": "caf\\u00e9" }';
    expect(sent(body(text).withModel("m"))).toBe(text.replace('"fast/m"', '"m"'));
    expect(sent(body('{"model":"fast\\/m"}').withModel("m"))).toBe('{"model":"m"}');
    expect(sent(body('{"mod\\u0065l":"fast/m"}').withModel("m"))).toBe('{"mod\\u0065l":"m"}');
  });

  it("leaves a nested or quoted model alone and sends the body as received when unchanged", () => {
    const text = '{"metadata":{"model":"x"},"content":"\\"model\\":\\"x\\"","model":"m"}';
    expect(sent(body(text).withModel("y"))).toBe(text.replace('"model":"m"', '"model":"y"'));
    const same = body(text);
    expect(same.withModel("m")).toBe(same.raw);
  });

  it("re-serialises a body whose routing members repeat, keeping the last as JSON.parse does", () => {
    const twice = body('{"model":"cheap","messages":[],"model":"fast/m"}');
    expect(twice.string("model")).toBe("fast/m");
    const out = sent(twice.withModel("fast/m"));
    expect(out.match(/"model"/g)).toHaveLength(1);
    expect(JSON.parse(out)).toEqual({ model: "fast/m", messages: [] });
    const escaped = sent(body('{"model":"fast/m","mod\\u0065l":"x/y"}').withModel("y"));
    expect(JSON.parse(escaped)).toEqual({ model: "y" });
    const stream = sent(body('{"model":"a","stream":true,"stream":false}').withModel("a"));
    expect(JSON.parse(stream)).toEqual({ model: "a", stream: false });
  });

  it("reads member kinds and values as JSON.parse of the whole body would", () => {
    const read = body('{"model":1,"stream":true,"max_tokens":1e400,"input":null,"messages":{}}');
    expect(read.string("model")).toBeUndefined();
    expect(read.kind("stream")).toBe("boolean");
    expect(read.value("stream")).toBe(true);
    expect(read.value("max_tokens")).toBe(Number.POSITIVE_INFINITY);
    expect(read.kind("input")).toBe("null");
    expect(read.kind("messages")).toBe("object");
    expect(read.kind("absent")).toBeUndefined();
    expect(read.object).toEqual(JSON.parse(read.raw.toString()));
  });

  it("reads a body that came parsed (translated only) as it reads a scanned one", () => {
    const text =
      '{"model":"a/b","stream":true,"max_tokens":5,"input":null,"messages":[],"m":{},"model":"c"}';
    const scanned = body(text);
    const parsed = new RequestBody(Buffer.from(text), undefined, JSON.parse(text) as JsonObject);
    for (const key of ["model", "stream", "max_tokens", "input", "messages", "m", "absent"]) {
      expect(parsed.kind(key)).toBe(scanned.kind(key));
      expect(parsed.value(key)).toEqual(scanned.value(key));
    }
    expect(JSON.parse(sent(parsed.withModel("d")))).toEqual(
      JSON.parse(sent(scanned.withModel("d"))),
    );
  });
});
