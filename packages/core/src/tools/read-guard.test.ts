import { readdir, symlink } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPatchTool } from "./apply-patch.js";
import { createGrepTool } from "./grep.js";
import { listDirTool } from "./list-dir.js";
import { findHiddenRoot, resolveDenyRead } from "./read-guard.js";
import { readFileTool } from "./read-file.js";
import { makeContext, makeTempDir, removeDir } from "./test-support.js";
import type { ToolContext, ToolResult } from "./tool.js";

// The read tools run inside hedge's own process: what they refuse is all that stands between the
// model and the files the sandbox hides.

const SECRET = "PRIVATE-KEY-MATERIAL";
let workspace: string;
/** A fake user home with secret stores. */
let home: string;
let context: ToolContext;

beforeEach(async () => {
  home = await makeTempDir({
    ".ssh/id_rsa": `${SECRET}\n`,
    ".netrc": `machine example.com password ${SECRET}\n`,
    "hedge-home/credentials/credentials.json": `{"work":"${SECRET}"}\n`,
    "hedge-home/config.toml": 'model = "x"\n',
    "projects/notes.txt": "nothing to hide\n",
  });
  workspace = await makeTempDir({
    "src/a.txt": "public text\n",
    // A denied directory inside the workspace (deny_read can name one).
    "private/plan.txt": `${SECRET}\n`,
  });
  await symlink(join(home, ".ssh", "id_rsa"), join(workspace, "key.txt"));
  await symlink(join(home, ".ssh"), join(workspace, "ssh-dir"));
  await symlink(home, join(workspace, "home-link"));
  context = makeContext(workspace, {
    denyRead: resolveDenyRead(
      [join(home, "hedge-home"), "~/private-notes", join(workspace, "private")],
      home,
    ),
  });
});
afterEach(async () => {
  await removeDir(workspace);
  await removeDir(home);
});

const denied = (result: ToolResult): string =>
  result.ok ? `allowed: ${result.output}` : `${result.error.type}`;

const grepTools = [
  ["ripgrep", createGrepTool({ ripgrep: "auto" })],
  ["built-in", createGrepTool({ ripgrep: "never" })],
] as const;

describe("read tools refuse denied paths", () => {
  it.each([
    ["a default secret place", () => join(home, ".ssh", "id_rsa")],
    ["a default secret file", () => join(home, ".netrc")],
    [
      "$HEDGE_HOME given by the caller",
      () => join(home, "hedge-home", "credentials", "credentials.json"),
    ],
    ["a workspace symlink to a secret file", () => "key.txt"],
    ["a path through a symlinked secret directory", () => "ssh-dir/id_rsa"],
    ["a path through a symlink to an ancestor", () => "home-link/.ssh/id_rsa"],
    ["a denied directory inside the workspace", () => "private/plan.txt"],
    ["a relative path climbing out", () => relative(workspace, join(home, ".ssh", "id_rsa"))],
    ["hedge's environment", () => "/proc/self/environ"],
    ["hedge's environment by pid", () => `/proc/${process.pid}/environ`],
    ["hedge's command line", () => "/proc/self/cmdline"],
    ["hedge's memory", () => "/proc/self/mem"],
    ["hedge's environment via the thread", () => "/proc/thread-self/environ"],
    ["one of hedge's open files", () => "/dev/fd/0"],
    ["hedge's root link", () => `/proc/self/root${join(home, ".ssh", "id_rsa")}`],
  ])("read_file: %s", async (_what, path) => {
    expect(denied(await readFileTool.execute({ path: path() }, context))).toBe("path_denied");
  });

  it("read_file still reads everything else, also through a symlink", async () => {
    const result = await readFileTool.execute({ path: "home-link/projects/notes.txt" }, context);
    expect(result).toEqual({ ok: true, output: "     1\tnothing to hide" });
  });

  it("list_dir refuses a denied directory and never expands one inside a listing", async () => {
    for (const path of [join(home, ".ssh"), "ssh-dir", "/proc", "/proc/self/fd", "private"]) {
      expect(denied(await listDirTool.execute({ path, depth: 1 }, context))).toBe("path_denied");
    }
    const listing = await listDirTool.execute({ path: home, depth: 3 }, context);
    expect(listing.ok && listing.output).toContain(".ssh/");
    expect(listing.ok && listing.output).toContain("notes.txt");
    expect(listing.ok && listing.output).not.toContain("id_rsa");
    expect(listing.ok && listing.output).not.toContain("credentials");
  });

  describe.each(grepTools)("grep (%s)", (_name, grep) => {
    it("refuses a denied path or /proc as the search root", async () => {
      for (const path of [join(home, ".ssh"), "key.txt", "/proc/self/environ", "/proc"]) {
        expect(denied(await grep.execute({ pattern: ".", path }, context))).toBe("path_denied");
      }
    });

    it("does not descend into a denied directory under the search root", async () => {
      // Not hidden from grep otherwise: ripgrep and the fallback search non-dot directories.
      const inWorkspace = await grep.execute({ pattern: SECRET }, context);
      expect(inWorkspace).toEqual({ ok: true, output: "No matches found." });
      const fromHome = await grep.execute(
        { pattern: "KEY|hide", path: home, glob: "**/*" },
        context,
      );
      expect(fromHome).toEqual({
        ok: true,
        output: `${relative(workspace, join(home, "projects", "notes.txt"))}:1:nothing to hide`,
      });
    });
  });

  it("apply_patch refuses to read, move or add files in a denied path, also through a symlink", async () => {
    await symlink(join(workspace, "private"), join(workspace, "private-link"));
    const patches = [
      "*** Update File: private/plan.txt\n*** Move to: leaked.txt",
      "*** Update File: src/a.txt\n*** Move to: private/a.txt",
      "*** Add File: private-link/new.txt\n+planted",
      "*** Delete File: private-link/plan.txt",
    ];
    for (const patch of patches) {
      const result = await applyPatchTool.execute(
        { input: `*** Begin Patch\n${patch}\n*** End Patch` },
        context,
      );
      expect(denied(result)).toBe("path_denied");
    }
    expect(await readdir(workspace)).not.toContain("leaked.txt");
    expect((await readdir(join(workspace, "private"))).sort()).toEqual(["plan.txt"]);
  });

  it("findHiddenRoot names a workspace inside a denied path (hedge run inside $HEDGE_HOME)", () => {
    const deny = resolveDenyRead([join(home, "hedge-home")], home);
    expect(findHiddenRoot([workspace, join(home, "hedge-home", "project")], deny)).toEqual({
      root: join(home, "hedge-home", "project"),
      denied: join(home, "hedge-home"),
    });
    // The opposite (a denied path inside the workspace) is fine: the masks hide it.
    expect(findHiddenRoot([home], deny)).toBeUndefined();
  });
});
