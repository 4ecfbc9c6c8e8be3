import { describe, expect, it } from "vitest";
import { mergeConfig } from "./merge.js";
import { overridesToObject } from "./overrides.js";

describe("config objects from user input never reach a prototype", () => {
  it("-c with __proto__, constructor or prototype throws and pollutes nothing", () => {
    for (const override of ["__proto__.polluted=1", "constructor.prototype.polluted=1"]) {
      expect(() => overridesToObject([override])).toThrow(/^-c: unknown key /);
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  it("merging parsed data with a __proto__ key keeps it a key and the prototype intact", () => {
    const overlay = JSON.parse('{"__proto__": {"polluted": 1}, "qa": {"max_rounds": 2}}') as Record<
      string,
      unknown
    >;
    const merged = mergeConfig({ qa: { enabled: true } }, overlay);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(["qa", "__proto__"]);
    expect(merged["qa"]).toEqual({ enabled: true, max_rounds: 2 });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
