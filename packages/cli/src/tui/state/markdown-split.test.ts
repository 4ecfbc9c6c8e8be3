import { describe, expect, it } from "vitest";
import { advanceSplit, findSafeSplit, INITIAL_SCAN, rebaseScan } from "./markdown-split.js";

describe("findSafeSplit", () => {
  it("cuts after the last finished block (before a blank line)", () => {
    const text = "First paragraph.\n\nSecond paragraph\nstill going";
    expect(text.slice(0, findSafeSplit(text))).toBe("First paragraph.\n");
  });

  it("never cuts inside a code fence, even at a blank line in it", () => {
    const text = "Intro.\n\n```py\ndef f():\n\n    return 1\n";
    expect(text.slice(0, findSafeSplit(text))).toBe("Intro.\n");
  });

  it("cuts after a closed fence once a blank line follows it", () => {
    const text = "```\na\n\nb\n```\n\nafter";
    expect(text.slice(0, findSafeSplit(text))).toBe("```\na\n\nb\n```\n");
  });

  it("treats a tilde fence and a longer backtick fence as fences", () => {
    expect(findSafeSplit("~~~\nx\n\ny\n")).toBe(0);
    // A ```` fence is not closed by ```.
    expect(findSafeSplit("````\n```\n\nstill code\n")).toBe(0);
  });

  it("does not cut on a partial last line", () => {
    expect(findSafeSplit("only one line, no newline")).toBe(0);
    expect(findSafeSplit("para\n\n")).toBe(5);
  });
});

describe("advanceSplit", () => {
  it("gives the same cut fed in pieces as whole", () => {
    const text = "A.\n\n```js\nx\n\ny\n```\n\nB.\n\nC";
    let scan = INITIAL_SCAN;
    let received = "";
    for (const piece of ["A.\n", "\n``", "`js\nx\n\ny", "\n```\n", "\nB.\n\nC"]) {
      received += piece;
      scan = advanceSplit(scan, received);
    }
    expect(scan.safe).toBe(findSafeSplit(text));
  });

  it("keeps scanning the rest after a cut (rebase)", () => {
    let text = "one\n\ntwo\n";
    let scan = advanceSplit(INITIAL_SCAN, text);
    const cut = scan.safe;
    text = text.slice(cut);
    scan = rebaseScan(scan, cut);
    text += "\nthree";
    scan = advanceSplit(scan, text);
    expect(text.slice(0, scan.safe)).toBe("\ntwo\n");
  });
});
