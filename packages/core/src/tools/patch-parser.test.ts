import { describe, expect, it } from "vitest";
import { parsePatch } from "./patch-parser.js";

const wrap = (body: string): string => `*** Begin Patch\n${body}\n*** End Patch`;

describe("parsePatch", () => {
  it("parses add, delete and update with a move in one patch", () => {
    const result = parsePatch(
      wrap(
        [
          "*** Add File: path/add.py",
          "+abc",
          "+def",
          "*** Delete File: path/delete.py",
          "*** Update File: path/update.py",
          "*** Move to: path/update2.py",
          "@@ def f():",
          "-    pass",
          "+    return 123",
        ].join("\n"),
      ),
    );
    expect(result).toEqual({
      ok: true,
      operations: [
        { type: "add", path: "path/add.py", contents: "abc\ndef\n" },
        { type: "delete", path: "path/delete.py" },
        {
          type: "update",
          path: "path/update.py",
          moveTo: "path/update2.py",
          chunks: [
            {
              anchors: ["def f():"],
              oldLines: ["    pass"],
              newLines: ["    return 123"],
              isEndOfFile: false,
            },
          ],
        },
      ],
    });
  });

  it("accepts a first hunk without @@, empty context lines, End of File and padded markers", () => {
    const result = parsePatch(
      "  *** Begin Patch \n*** Update File: a.txt\n one\n\n-two\n+2\n*** End of File\n *** End Patch  \n",
    );
    expect(result).toEqual({
      ok: true,
      operations: [
        {
          type: "update",
          path: "a.txt",
          chunks: [
            {
              anchors: [],
              oldLines: ["one", "", "two"],
              newLines: ["one", "", "2"],
              isEndOfFile: true,
            },
          ],
        },
      ],
    });
  });

  it("keeps several @@ anchors of one hunk and ignores unified-diff range headers", () => {
    const result = parsePatch(
      wrap("*** Update File: a.py\n@@ class A\n@@     def f():\n-x\n+y\n@@ -1,3 +1,3 @@\n-p\n+q"),
    );
    expect(result.ok && result.operations[0]).toMatchObject({
      chunks: [
        { anchors: ["class A", "    def f():"], oldLines: ["x"], newLines: ["y"] },
        { anchors: [], oldLines: ["p"], newLines: ["q"] },
      ],
    });
  });

  it.each([
    ["apply_patch <<'EOF'", "EOF"],
    ['apply_patch <<"EOF"', "EOF"],
    ["<<EOF", "EOF"],
    ["applypatch <<'PATCH'", "PATCH"],
  ])("tolerates the heredoc wrapper %s", (start, end) => {
    const result = parsePatch(`${start}\n${wrap("*** Add File: x.txt\n+hi")}\n${end}\n`);
    expect(result).toEqual({
      ok: true,
      operations: [{ type: "add", path: "x.txt", contents: "hi\n" }],
    });
  });

  it("parses a CRLF patch", () => {
    const result = parsePatch("*** Begin Patch\r\n*** Add File: x.txt\r\n+hi\r\n*** End Patch\r\n");
    expect(result).toEqual({
      ok: true,
      operations: [{ type: "add", path: "x.txt", contents: "hi\n" }],
    });
  });

  it("allows a rename without hunks", () => {
    expect(parsePatch(wrap("*** Update File: a.txt\n*** Move to: b.txt"))).toEqual({
      ok: true,
      operations: [{ type: "update", path: "a.txt", moveTo: "b.txt", chunks: [] }],
    });
  });

  it.each([
    ["bad", "the first line of the patch must be '*** Begin Patch'"],
    ["*** Begin Patch\n*** Add File: a\n+x", "the last line of the patch must be '*** End Patch'"],
    [wrap("*** Update File: a.txt"), "line 2: Update File a.txt has no hunks"],
    [
      wrap("*** Frobnicate File: a.txt"),
      "line 2: '*** Frobnicate File: a.txt' is not a valid file header",
    ],
    [
      wrap("*** Update File: a.txt\n@@\n-x\n+y\n@@ f\n~what"),
      "line 7: unexpected line in hunk: '~what'",
    ],
    [wrap("*** Update File: a.txt\n@@\n*** End of File"), "line 3: the hunk contains no lines"],
    ["*** Begin Patch\n*** End Patch", "the patch contains no file operations"],
    [
      "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: a\n+x\n*** End Patch",
      "the heredoc is not closed: the last line must be EOF",
    ],
  ])("rejects %j", (patch, message) => {
    const result = parsePatch(patch);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});
