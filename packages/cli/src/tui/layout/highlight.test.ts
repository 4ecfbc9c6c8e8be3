import { describe, expect, it } from "vitest";
import { highlightCode, languageFor, loadHighlighting } from "./highlight.js";

describe("highlighting", () => {
  it("code is plain until the grammars load (after the first frame), highlighted after", async () => {
    const code = "const a = 1; // one";
    expect(highlightCode(code, "ts")).toEqual([[{ text: code, role: "code" }]]);
    await loadHighlighting();
    const roles = highlightCode(code, "ts")[0]?.map(({ role }) => role);
    expect(roles).toContain("syntaxKeyword");
    expect(roles).toContain("syntaxComment");
  });

  it("every grammar it loads is one a fence can name", async () => {
    await loadHighlighting();
    const { GRAMMARS } = await import("./highlight-grammars.js");
    for (const name of Object.keys(GRAMMARS)) expect(languageFor(name), name).toBe(name);
    expect(languageFor("brainfuck")).toBeUndefined();
  });
});
