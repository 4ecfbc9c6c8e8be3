import { describe, expect, it } from "vitest";
import { composerRows, cursorCell, layoutComposer } from "./composer-layout.js";
import { linesText } from "./styled-text.js";

describe("layoutComposer", () => {
  it("wraps a long line anywhere and finds the cursor on its row", () => {
    const rows = layoutComposer(
      { lines: ["abcdefghij"], cursor: { line: 0, column: 7 } },
      { width: 6, maxRows: 5, focused: true },
    );
    expect(linesText(rows)).toBe("› abcd\n  efgh\n  ij");
    // "h" is under the cursor: row 1, after the 2-column indent and "efg".
    expect(cursorCell(rows)).toEqual({ row: 1, column: 5 });
  });

  it("puts the cursor after the last character, past wide characters", () => {
    const rows = layoutComposer(
      { lines: ["修复 it"], cursor: { line: 0, column: 5 } },
      { width: 40, maxRows: 5, focused: true },
    );
    expect(cursorCell(rows)).toEqual({ row: 0, column: 2 + 4 + 3 });
  });

  it("has no cursor when another panel has the focus", () => {
    const rows = layoutComposer(
      { lines: ["text"], cursor: { line: 0, column: 2 } },
      { width: 40, maxRows: 5, focused: false },
    );
    expect(cursorCell(rows)).toBeUndefined();
  });

  it("asks for one row per wrapped line", () => {
    expect(composerRows({ lines: ["a".repeat(10), ""], cursor: { line: 0, column: 0 } }, 6)).toBe(
      4,
    );
  });
});
