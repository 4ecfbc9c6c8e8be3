import { describe, expect, it } from "vitest";
import { MAX_DIFF_LINES, fileDiff } from "./file-diff.js";

describe("fileDiff", () => {
  it("gives an update as a unified diff with the path and numbered hunks", () => {
    const diff = fileDiff("src/math.js", "a\nreturn a - b;\nc\n", "a\nreturn a + b;\nc\n");
    expect(diff.split("\n")).toEqual([
      "--- a/src/math.js",
      "+++ b/src/math.js",
      "@@ -1,3 +1,3 @@",
      " a",
      "-return a - b;",
      "+return a + b;",
      " c",
    ]);
  });

  it("gives an added and a deleted file against /dev/null", () => {
    expect(fileDiff("new.txt", null, "hello\n")).toMatch(
      /^--- \/dev\/null\n\+\+\+ b\/new.txt\n@@ -0,0 \+1,1 @@\n\+hello$/,
    );
    expect(fileDiff("old.txt", "bye\n", null)).toMatch(
      /^--- a\/old.txt\n\+\+\+ \/dev\/null\n@@ -1,1 \+0,0 @@\n-bye$/,
    );
  });

  it("cuts a long diff and says how much it left out", () => {
    const after = Array.from({ length: 1000 }, (_, index) => `line ${index}`).join("\n");
    const lines = fileDiff("big.txt", null, after).split("\n");
    expect(lines).toHaveLength(MAX_DIFF_LINES + 1);
    expect(lines.at(-1)).toMatch(/^… \d+ more diff lines$/);
  });
});
