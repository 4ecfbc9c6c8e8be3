import { describe, expect, it } from "vitest";
import { rewriteModel } from "./forward.js";

describe("rewriteModel", () => {
  it("replaces the top-level model value in place, keeping every other byte", () => {
    const raw = Buffer.from(
      '{"model":"fast/m","stream":true,"messages":[{"role":"user","content":"say \\"model\\": x"}]}',
    );
    expect(rewriteModel(raw, "fast/m", "m")?.toString()).toBe(
      '{"model":"m","stream":true,"messages":[{"role":"user","content":"say \\"model\\": x"}]}',
    );
    expect(rewriteModel(Buffer.from('{ "model": "a/b" }'), "a/b", "b")?.toString()).toBe(
      '{ "model": "b" }',
    );
  });

  it("declines (so the body is re-serialised) when the key is ambiguous or spelled otherwise", () => {
    expect(
      rewriteModel(Buffer.from('{"model":"a/b","metadata":{"model":"a/b"}}'), "a/b", "b"),
    ).toBeUndefined();
    expect(
      rewriteModel(Buffer.from('{"model":"a/b","metadata":{"model":"other"}}'), "a/b", "b"),
    ).toBeUndefined();
    expect(rewriteModel(Buffer.from('{"model" :"a/b"}'), "a/b", "b")).toBeUndefined();
    expect(rewriteModel(Buffer.from('{"model":"a/bc"}'), "a/b", "b")).toBeUndefined();
    expect(rewriteModel(Buffer.from('{"model":"a/'), "a/b", "b")).toBeUndefined();
    expect(rewriteModel(Buffer.from('{"x":"\\"model"model":"a/b"}'), "a/b", "b")).toBeUndefined();
  });
});
