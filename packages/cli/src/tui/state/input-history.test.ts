import { describe, expect, it } from "vitest";
import { bufferFromText, emptyBuffer, insertPaste, insertText } from "./composer-buffer.js";
import { historyFrom, newer, older, remember } from "./input-history.js";

describe("input history", () => {
  it("Up from an empty composer walks back, Down walks forward to empty again", () => {
    let history = remember(remember(historyFrom([]), bufferFromText("one")), bufferFromText("two"));
    const first = older(history, emptyBuffer);
    expect(first?.composer.text).toBe("two");
    history = first?.history ?? history;
    const second = older(history, first?.composer ?? emptyBuffer);
    expect(second?.composer.text).toBe("one");
    expect(older(second?.history ?? history, second?.composer ?? emptyBuffer)).toBeUndefined();
    const back = newer(second?.history ?? history, second?.composer ?? emptyBuffer);
    expect(back?.composer.text).toBe("two");
    const out = newer(back?.history ?? history, back?.composer ?? emptyBuffer);
    expect(out?.composer).toEqual(emptyBuffer);
    expect(out?.history.index).toBeNull();
  });

  it("a draft is never replaced: with other text in the composer, history stays out of the way", () => {
    const history = remember(historyFrom([]), bufferFromText("old"));
    expect(older(history, bufferFromText("my draft"))).toBeUndefined();
    const recalled = older(history, emptyBuffer);
    const edited = insertText(recalled?.composer ?? emptyBuffer, " edited");
    expect(older(recalled?.history ?? history, edited)).toBeUndefined();
    expect(newer(recalled?.history ?? history, edited)).toBeUndefined();
  });

  it("keeps paste placeholders, skips blanks and repeats", () => {
    const pasted = insertPaste(emptyBuffer, "a\nb\nc\nd\ne\nf\ng");
    let history = remember(historyFrom([]), pasted);
    history = remember(history, pasted);
    history = remember(history, bufferFromText("  "));
    expect(history.entries).toHaveLength(1);
    expect(older(history, emptyBuffer)?.composer.atoms).toEqual(pasted.atoms);
  });
});
