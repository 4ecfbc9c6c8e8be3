import { mkdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPatchTool } from "./apply-patch.js";
import { shellTool } from "./shell.js";
import { makeContext, makeTempDir, recordingApprover, removeDir } from "./test-support.js";
import type { ToolContext, ToolResult } from "./tool.js";

const wrap = (...lines: string[]): string =>
  ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");

let workspace: string;
let outside: string;
let context: ToolContext;

beforeEach(async () => {
  workspace = await makeTempDir();
  outside = await makeTempDir({ "secret.txt": "secret\n" }, "hedge-outside-");
  context = makeContext(workspace);
});
afterEach(async () => {
  await removeDir(workspace);
  await removeDir(outside);
});

const apply = (input: string, overrides: Partial<ToolContext> = {}): Promise<ToolResult> =>
  applyPatchTool.execute({ input }, { ...context, ...overrides });
const read = (path: string): Promise<string> => readFile(join(workspace, path), "utf8");
const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );
const write = async (path: string, contents: string): Promise<void> => {
  await mkdir(join(workspace, path, ".."), { recursive: true });
  await writeFile(join(workspace, path), contents);
};
const errorOf = (result: ToolResult): { type: string; message: string } => {
  if (result.ok) throw new Error(`expected a failure, got: ${result.output}`);
  return result.error;
};

describe("apply_patch", () => {
  it("adds a file in new directories and reports it", async () => {
    const result = await apply(wrap("*** Add File: src/deep/hello.txt", "+Hello", "+world"));
    expect(result).toEqual({
      ok: true,
      output: "Success. Updated the following files:\nA src/deep/hello.txt",
      metadata: {
        kind: "patch",
        changes: [
          {
            path: "src/deep/hello.txt",
            kind: "add",
            diff: "--- /dev/null\n+++ b/src/deep/hello.txt\n@@ -0,0 +1,2 @@\n+Hello\n+world",
          },
        ],
      },
    });
    expect(await read("src/deep/hello.txt")).toBe("Hello\nworld\n");
  });

  it("deletes a file", async () => {
    await write("old.txt", "x\n");
    const result = await apply(wrap("*** Delete File: old.txt"));
    expect(result.ok && result.output).toContain("D old.txt");
    expect(await exists(join(workspace, "old.txt"))).toBe(false);
  });

  it("updates a file with several hunks", async () => {
    await write("multi.txt", "a\nb\nc\nd\ne\nf\ng\nh\n");
    const result = await apply(
      wrap(
        "*** Update File: multi.txt",
        "@@",
        " a",
        "-b",
        "+B",
        " c",
        "@@",
        " e",
        "-f",
        "+F",
        "+F2",
        " g",
      ),
    );
    expect(result.ok && result.metadata).toEqual({
      kind: "patch",
      changes: [
        {
          path: "multi.txt",
          kind: "update",
          diff: [
            "--- a/multi.txt",
            "+++ b/multi.txt",
            "@@ -1,8 +1,9 @@",
            " a",
            "-b",
            "+B",
            " c",
            " d",
            " e",
            "-f",
            "+F",
            "+F2",
            " g",
            " h",
          ].join("\n"),
        },
      ],
    });
    expect(await read("multi.txt")).toBe("a\nB\nc\nd\ne\nF\nF2\ng\nh\n");
  });

  it("locates hunks with @@ anchors, also nested ones", async () => {
    await write(
      "code.py",
      [
        "class A:",
        "    def f(self):",
        "        return 1",
        "class B:",
        "    def f(self):",
        "        return 1",
        "",
      ].join("\n"),
    );
    const result = await apply(
      wrap(
        "*** Update File: code.py",
        "@@ class B:",
        "@@     def f(self):",
        "-        return 1",
        "+        return 2",
      ),
    );
    expect(result.ok).toBe(true);
    expect(await read("code.py")).toBe(
      [
        "class A:",
        "    def f(self):",
        "        return 1",
        "class B:",
        "    def f(self):",
        "        return 2",
        "",
      ].join("\n"),
    );
  });

  it("moves a file with changes", async () => {
    await write("old/name.txt", "line\nkeep\n");
    const result = await apply(
      wrap(
        "*** Update File: old/name.txt",
        "*** Move to: renamed/dir/name.txt",
        "@@",
        "-line",
        "+line2",
        " keep",
      ),
    );
    expect(result).toMatchObject({
      ok: true,
      output: "Success. Updated the following files:\nR old/name.txt -> renamed/dir/name.txt",
      metadata: {
        changes: [{ path: "old/name.txt", kind: "update", move_to: "renamed/dir/name.txt" }],
      },
    });
    expect(await exists(join(workspace, "old/name.txt"))).toBe(false);
    expect(await read("renamed/dir/name.txt")).toBe("line2\nkeep\n");
  });

  it("moves a file without changes, keeping its bytes", async () => {
    await write("a.txt", "no trailing newline");
    const result = await apply(wrap("*** Update File: a.txt", "*** Move to: b.txt"));
    expect(result.ok && result.output).toContain("R a.txt -> b.txt");
    expect(await read("b.txt")).toBe("no trailing newline");
    expect(await exists(join(workspace, "a.txt"))).toBe(false);
  });

  it("honours *** End of File: appends at the end and matches the last lines", async () => {
    await write("tail.txt", "x\nend\nmiddle\nend\n");
    const result = await apply(
      wrap(
        "*** Update File: tail.txt",
        "@@",
        " middle",
        "-end",
        "+END",
        "+appended",
        "*** End of File",
      ),
    );
    expect(result.ok).toBe(true);
    expect(await read("tail.txt")).toBe("x\nend\nmiddle\nEND\nappended\n");
  });

  it("keeps CRLF line endings", async () => {
    await write("win.txt", "one\r\ntwo\r\nthree\r\n");
    const result = await apply(
      wrap("*** Update File: win.txt", "@@", " one", "-two", "+TWO", "+two and a half", " three"),
    );
    expect(result.ok).toBe(true);
    expect(await read("win.txt")).toBe("one\r\nTWO\r\ntwo and a half\r\nthree\r\n");
  });

  it("matches context that differs in trailing or surrounding whitespace", async () => {
    await write("ws.ts", "function f() {   \n\treturn 1;\n}\n");
    const result = await apply(
      wrap("*** Update File: ws.ts", "@@", " function f() {", "-  return 1;", "+\treturn 2;", " }"),
    );
    expect(result.ok).toBe(true);
    // Like Codex, the matched region (context lines included) takes the patch's text.
    expect(await read("ws.ts")).toBe("function f() {\n\treturn 2;\n}\n");
  });

  it("writes nothing when a hunk fails, and names the file, hunk and missing line", async () => {
    await write("src/a.ts", "export const a = 1;\n");
    await write("src/b.ts", "function foo() {\n  return 0;\n}\nfunction bar() {\n  return 2;\n}\n");
    const result = await apply(
      wrap(
        "*** Update File: src/a.ts",
        "@@",
        "-export const a = 1;",
        "+export const a = 2;",
        "*** Add File: src/new.ts",
        "+new",
        "*** Update File: src/b.ts",
        "@@",
        " function foo() {",
        "-  return 0;",
        "+  return 5;",
        "@@ function bar() {",
        "-  return 1;",
        "+  return 3;",
      ),
    );
    const error = errorOf(result);
    expect(error.type).toBe("patch_failed");
    expect(error.message).toContain(
      'src/b.ts: hunk 2 (@@ function bar() {): context not found: "  return 1;"',
    );
    expect(error.message).toContain("No file was changed");
    expect(await read("src/a.ts")).toBe("export const a = 1;\n");
    expect(await read("src/b.ts")).toContain("return 0;");
    expect(await exists(join(workspace, "src/new.ts"))).toBe(false);
  });

  it("names an @@ anchor that is missing", async () => {
    await write("a.ts", "one\n");
    const error = errorOf(
      await apply(wrap("*** Update File: a.ts", "@@ class Missing", "-one", "+1")),
    );
    expect(error.message).toContain(
      'a.ts: hunk 1 (@@ class Missing): context not found: "class Missing"',
    );
  });

  it("names the first context line that is missing", async () => {
    await write("a.ts", "one\ntwo\nthree\n");
    const error = errorOf(
      await apply(wrap("*** Update File: a.ts", "@@", " one", " two", "-return 1;", "+x")),
    );
    expect(error.message).toBe(
      'a.ts: hunk 1: context not found: "return 1;"\nNo file was changed; re-read the file and send a corrected patch.',
    );
  });

  it("reports an update of a missing file and a bad patch as data", async () => {
    expect(errorOf(await apply(wrap("*** Update File: nope.txt", "@@", "-a", "+b")))).toEqual({
      type: "patch_failed",
      message: expect.stringContaining("Update File nope.txt: nope.txt does not exist") as string,
    });
    expect(errorOf(await apply("*** Update File: a"))).toEqual({
      type: "invalid_patch",
      message: "invalid patch: the first line of the patch must be '*** Begin Patch'",
    });
  });

  describe("refuses paths outside the workspace", () => {
    it.each([
      ["../escape.txt", "resolves outside the workspace"],
      ["sub/../../escape.txt", "resolves outside the workspace"],
      ["/etc/hedge-escape.txt", "absolute paths are not allowed"],
    ])("Add File %s", async (path, message) => {
      const error = errorOf(await apply(wrap(`*** Add File: ${path}`, "+x")));
      expect(error.message).toContain(message);
      expect(await exists(join(workspace, "..", "escape.txt"))).toBe(false);
    });

    it("updating through a symlink that points outside", async () => {
      await symlink(join(outside, "secret.txt"), join(workspace, "link.txt"));
      const error = errorOf(
        await apply(wrap("*** Update File: link.txt", "@@", "-secret", "+owned")),
      );
      expect(error.message).toContain("link.txt: resolves outside the workspace");
      expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("secret\n");
    });

    it("adding a file through a symlinked directory that points outside", async () => {
      await symlink(outside, join(workspace, "linked-dir"));
      const error = errorOf(await apply(wrap("*** Add File: linked-dir/sub/planted.txt", "+x")));
      expect(error.message).toContain("resolves outside the workspace");
      expect(await exists(join(outside, "sub"))).toBe(false);
    });

    it("deleting through a symlinked directory and moving out of the workspace", async () => {
      await symlink(outside, join(workspace, "linked-dir"));
      await write("in.txt", "x\n");
      expect(
        errorOf(await apply(wrap("*** Delete File: linked-dir/secret.txt"))).message,
      ).toContain("outside the workspace");
      expect(
        errorOf(await apply(wrap("*** Update File: in.txt", "*** Move to: ../moved.txt"))).message,
      ).toContain("outside the workspace");
      expect(await exists(join(outside, "secret.txt"))).toBe(true);
      expect(await read("in.txt")).toBe("x\n");
    });

    it("but writes into an extra writable root", async () => {
      const result = await apply(
        wrap(
          "*** Update File: ../" + outside.split("/").at(-1) + "/secret.txt",
          "@@",
          "-secret",
          "+shared",
        ),
        {
          writableRoots: [outside],
        },
      );
      expect(result.ok).toBe(true);
      expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("shared\n");
    });
  });

  it("accepts the heredoc wrapper in its input", async () => {
    const result = await apply(
      `apply_patch <<'EOF'\n${wrap("*** Add File: h.txt", "+heredoc")}\nEOF\n`,
    );
    expect(result.ok).toBe(true);
    expect(await read("h.txt")).toBe("heredoc\n");
  });

  it("is applied when the model runs it through shell", async () => {
    const viaArgv = await shellTool.execute(
      { command: ["apply_patch", wrap("*** Add File: one.txt", "+1")] },
      context,
    );
    const viaBash = await shellTool.execute(
      {
        command: [
          "bash",
          "-lc",
          `apply_patch <<"EOF"\n${wrap("*** Add File: two.txt", "+2")}\nEOF`,
        ],
      },
      context,
    );
    expect(viaArgv.ok && viaArgv.metadata).toEqual({
      kind: "patch",
      changes: [
        { path: "one.txt", kind: "add", diff: "--- /dev/null\n+++ b/one.txt\n@@ -0,0 +1,1 @@\n+1" },
      ],
    });
    expect(viaBash.ok).toBe(true);
    expect(await read("one.txt")).toBe("1\n");
    expect(await read("two.txt")).toBe("2\n");
  });

  it("is refused in read-only mode", async () => {
    const error = errorOf(
      await apply(wrap("*** Add File: ro.txt", "+x"), { sandboxMode: "read-only" }),
    );
    expect(error.type).toBe("sandbox_denied");
    expect(await exists(join(workspace, "ro.txt"))).toBe(false);
  });

  it("asks under untrusted: declined leaves the files alone, approved applies", async () => {
    const denier = recordingApprover({ type: "deny" });
    const denied = errorOf(
      await apply(wrap("*** Add File: u.txt", "+x"), {
        approvalPolicy: "untrusted",
        approve: denier.approve,
      }),
    );
    expect(denied.type).toBe("approval_denied");
    expect(denied.message).toContain("the user did not approve applying the patch to u.txt");
    expect(denier.requests).toEqual([
      {
        kind: "patch",
        // The person approving sees the change itself.
        changes: [
          { path: "u.txt", kind: "add", diff: expect.stringContaining("+++ b/u.txt") as string },
        ],
        reason: expect.any(String) as string,
      },
    ]);
    expect(await exists(join(workspace, "u.txt"))).toBe(false);

    const approver = recordingApprover({ type: "approve_once" });
    expect(
      (
        await apply(wrap("*** Add File: u.txt", "+x"), {
          approvalPolicy: "untrusted",
          approve: approver.approve,
        })
      ).ok,
    ).toBe(true);
    expect(await read("u.txt")).toBe("x\n");
  });
});
