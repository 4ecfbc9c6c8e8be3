import { describe, expect, it } from "vitest";
import {
  bufferFromText,
  concatBuffers,
  cursorLine,
  edit,
  emptyBuffer,
  fromJson,
  insertMention,
  insertPaste,
  insertText,
  isBlank,
  moveLine,
  toJson,
  toModelText,
  type ComposerBuffer,
  type EditCommand,
} from "./composer-buffer.js";

const lines = (count: number): string =>
  Array.from({ length: count }, (_, index) => `line ${index + 1}`).join("\n");
const apply = (buffer: ComposerBuffer, ...commands: EditCommand[]): ComposerBuffer =>
  commands.reduce(edit, buffer);
/** The text with `|` where the cursor is. */
const show = (buffer: ComposerBuffer): string =>
  `${buffer.text.slice(0, buffer.cursor)}|${buffer.text.slice(buffer.cursor)}`;

describe("composer buffer", () => {
  it("a big paste shows as one placeholder; the model gets every line", () => {
    const pasted = insertPaste(insertText(emptyBuffer, "fix this: "), lines(120));
    expect(pasted.text).toBe("fix this: [Pasted 120 lines]");
    expect(toModelText(insertText(pasted, " thanks"))).toBe(`fix this: ${lines(120)} thanks`);
  });

  it("a short paste is plain text; a long single line folds by characters", () => {
    expect(insertPaste(emptyBuffer, "a\r\nb").text).toBe("a\nb");
    expect(insertPaste(emptyBuffer, "x".repeat(1500)).text).toBe("[Pasted 1,500 chars]");
  });

  it("the cursor steps over a placeholder, and Backspace at its end removes it whole", () => {
    const buffer = insertText(insertPaste(insertText(emptyBuffer, "a "), lines(10)), " b");
    const atEnd = apply(buffer, "left", "left");
    expect(show(atEnd)).toBe("a [Pasted 10 lines]| b");
    expect(show(edit(atEnd, "left"))).toBe("a |[Pasted 10 lines] b");
    const removed = edit(atEnd, "backspace");
    expect(show(removed)).toBe("a | b");
    expect(toModelText(removed)).toBe("a  b");
  });

  it("typing never lands inside a placeholder; word deletes take it whole", () => {
    const buffer = insertPaste(emptyBuffer, lines(8));
    const middle = fromJson(toJson({ ...buffer, cursor: 5 }), "");
    expect([0, buffer.text.length]).toContain(middle.cursor);
    expect(edit(buffer, "deleteWordBackward")).toEqual(emptyBuffer);
  });

  it("word moves, line start/end, Ctrl+K and Ctrl+U", () => {
    const buffer = bufferFromText("hello big-world\nsecond line");
    expect(show(apply(buffer, "wordLeft"))).toBe("hello big-world\nsecond |line");
    expect(show(apply(buffer, "bufferStart", "wordRight", "wordRight"))).toBe(
      "hello big|-world\nsecond line",
    );
    expect(show(apply(buffer, "lineStart"))).toBe("hello big-world\n|second line");
    expect(show(apply(buffer, "bufferStart", "killToLineEnd"))).toBe("|\nsecond line");
    expect(show(apply(buffer, "bufferStart", "killToLineEnd", "killToLineEnd"))).toBe(
      "|second line",
    );
    expect(show(apply(buffer, "killToLineStart"))).toBe("hello big-world\n|");
    expect(show(apply(buffer, "deleteWordBackward"))).toBe("hello big-world\nsecond |");
  });

  it("surrogate pairs move and delete as one character", () => {
    const buffer = bufferFromText("a🙂");
    expect(show(edit(buffer, "left"))).toBe("a|🙂");
    expect(edit(buffer, "backspace").text).toBe("a");
  });

  it("Up and Down keep the column; the line tells history when to take over", () => {
    const buffer = bufferFromText("first line\nab\nthird line");
    expect(cursorLine(buffer)).toEqual({ line: 2, lines: 3 });
    const up = moveLine(buffer, -1);
    expect(show(up)).toBe("first line\nab|\nthird line");
    expect(show(moveLine(up, -1))).toBe("fi|rst line\nab\nthird line");
    expect(moveLine(moveLine(up, -1), -1)).toEqual(moveLine(up, -1));
    expect(show(moveLine(apply(buffer, "bufferStart", "right"), 1))).toBe(
      "first line\na|b\nthird line",
    );
  });

  it("JSON round trip keeps text, atoms and cursor; bad JSON falls back to the model text", () => {
    const buffer = insertMention(
      insertPaste(insertText(emptyBuffer, "see "), lines(9)),
      "src/a.ts",
    );
    const back = fromJson(toJson(buffer), "unused");
    expect(back).toEqual(buffer);
    expect(toModelText(back)).toBe(`see ${lines(9)}@src/a.ts `);
    expect(fromJson("{not json", "plain")).toEqual(bufferFromText("plain"));
    const overlapping = JSON.stringify({
      v: 1,
      text: "abcdef",
      cursor: 0,
      atoms: [
        { kind: "paste", start: 0, end: 4, content: "x" },
        { kind: "paste", start: 2, end: 6, content: "y" },
      ],
    });
    expect(fromJson(overlapping, "safe")).toEqual(bufferFromText("safe"));
  });

  it("concat: restored inputs then the draft, a blank line between, atoms shifted", () => {
    const first = insertPaste(emptyBuffer, lines(7));
    const joined = concatBuffers([first, bufferFromText(""), bufferFromText("draft")]);
    expect(joined.text).toBe("[Pasted 7 lines]\n\ndraft");
    expect(toModelText(joined)).toBe(`${lines(7)}\n\ndraft`);
    expect(joined.cursor).toBe(joined.text.length);
  });

  it("control characters in typed or pasted text are dropped; blank means nothing to send", () => {
    expect(insertText(emptyBuffer, "a\x1b[31mb\x07").text).toBe("a[31mb");
    expect(isBlank(bufferFromText("  \n "))).toBe(true);
    expect(isBlank(insertMention(emptyBuffer, "x"))).toBe(false);
  });
});
