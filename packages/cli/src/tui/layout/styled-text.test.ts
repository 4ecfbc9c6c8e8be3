import { describe, expect, it } from "vitest";
import { lineText, lineWidth, segment, truncateStyled, wrapStyled } from "./styled-text.js";

describe("wrapStyled", () => {
  it("wraps between words and indents the rows after the first", () => {
    const rows = wrapStyled([segment("one two three four five")], 12, {
      first: [segment("• ")],
    });
    expect(rows.map(lineText)).toEqual(["• one two", "  three four", "  five"]);
  });

  it("never makes a row wider than the width, with wide characters and long words", () => {
    const text = "修复 parse 函数 🙂🙂🙂 averyveryverylongidentifierwithoutspaces 表格和列表 done";
    for (let width = 4; width <= 30; width += 1) {
      for (const row of wrapStyled([segment(text)], width, { first: [segment("› ")] }))
        expect(lineWidth(row)).toBeLessThanOrEqual(width);
    }
  });

  it("keeps the rows of a multi-line text and its styles", () => {
    const rows = wrapStyled([segment("a\n", "strong"), segment("b", "muted")], 20);
    expect(rows).toEqual([[segment("a", "strong")], [segment("b", "muted")]]);
  });
});

describe("truncateStyled", () => {
  it("cuts to the width with an ellipsis, counting wide characters as two columns", () => {
    const row = truncateStyled([segment("表格表格表格", "strong")], 7);
    expect(lineText(row)).toBe("表格表…");
    expect(lineWidth(row)).toBeLessThanOrEqual(7);
  });
});
