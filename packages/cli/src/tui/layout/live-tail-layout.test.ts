import { describe, expect, it } from "vitest";
import type { Cell } from "../state/cells.js";
import { layoutLiveTail, markdownTail } from "./live-tail-layout.js";
import { linesText } from "./styled-text.js";

describe("markdownTail", () => {
  it("keeps the last lines of a streaming text", () => {
    const text = ["a", "b", "c", "d", "e"].join("\n");
    expect(markdownTail(text, 2)).toBe("d\ne");
    expect(markdownTail(text, 10)).toBe(text);
  });

  it("re-opens a code fence the cut falls inside, so the rest still renders as code", () => {
    const text = ["Intro", "", "```python", "x = 1", "y = 2", "z = 3"].join("\n");
    expect(markdownTail(text, 2)).toBe("```python\ny = 2\nz = 3");
  });
});

describe("layoutLiveTail", () => {
  it("shows a long streaming code block as code from its last lines", () => {
    const code = Array.from({ length: 40 }, (_, index) => `let v${index} = ${index};`).join("\n");
    const cell: Cell = {
      kind: "assistant",
      id: "a",
      continued: false,
      markdown: `Here:\n\n\`\`\`ts\n${code}`,
    };
    const rows = linesText(layoutLiveTail([cell], { width: 80, now: 0, maxHeight: 4 })).split("\n");
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/rows above$/);
    // Code rows keep their indent (a code block), not paragraph text.
    expect(rows.slice(1)).toEqual(["    let v37 = 37;", "    let v38 = 38;", "    let v39 = 39;"]);
  });

  it("draws nothing without live cells or rows", () => {
    expect(layoutLiveTail([], { width: 80, now: 0, maxHeight: 5 })).toEqual([]);
  });
});
