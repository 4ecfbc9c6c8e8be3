import { execFileSync } from "node:child_process";
import { mkdir, readFile, readdir, stat, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPatchTool } from "./apply-patch.js";
import { shellTool } from "./shell.js";
import { makeContext, makeTempDir, removeDir } from "./test-support.js";
import type { ToolContext, ToolResult } from "./tool.js";

// What a hostile model tries with apply_patch in a sandboxed session: change git's config or
// hooks, or hedge's own project config, by any path that leads there.

const wrap = (...lines: string[]): string =>
  ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
const fsmonitorHunk = ["@@", " [core]", "+\tfsmonitor = \"sh -c 'touch /tmp/pwned'\""];

let workspace: string;
let context: ToolContext;
let gitConfig: string;

beforeEach(async () => {
  workspace = await makeTempDir({ "notes.txt": "notes\n" });
  execFileSync("git", ["init", "-q"], { cwd: workspace });
  gitConfig = await readFile(join(workspace, ".git", "config"), "utf8");
  context = makeContext(workspace, { approvalPolicy: "never" });
});
afterEach(async () => {
  await removeDir(workspace);
});

const apply = (input: string, overrides: Partial<ToolContext> = {}): Promise<ToolResult> =>
  applyPatchTool.execute({ input }, { ...context, ...overrides });
const exists = (path: string): Promise<boolean> =>
  stat(join(workspace, path)).then(
    () => true,
    () => false,
  );
function denial(result: ToolResult): string {
  if (result.ok) throw new Error(`expected a refusal, got: ${result.output}`);
  expect(result.error.type).toBe("sandbox_denied");
  return result.error.message;
}
async function expectGitUntouched(): Promise<void> {
  expect(await readFile(join(workspace, ".git", "config"), "utf8")).toBe(gitConfig);
  expect(await readdir(join(workspace, ".git", "hooks"))).not.toContain("pre-commit");
}

describe("apply_patch in a sandboxed session refuses .git", () => {
  it("refuses .git/config, whatever the case of .git", async () => {
    expect(denial(await apply(wrap("*** Update File: .git/config", ...fsmonitorHunk)))).toContain(
      ".git/config: git's own data",
    );
    denial(await apply(wrap("*** Add File: .GIT/config", "+[core]")));
    denial(await apply(wrap("*** Add File: .g\u200Cit/hooks/pre-commit", "+#!/bin/sh")));
    expect(await exists(".GIT")).toBe(false);
    await expectGitUntouched();
  });

  it("refuses a .git at any depth, and a .git file (a submodule's or worktree's pointer)", async () => {
    await mkdir(join(workspace, "vendor", "lib"), { recursive: true });
    denial(await apply(wrap("*** Add File: vendor/lib/.git/hooks/post-checkout", "+#!/bin/sh")));
    denial(await apply(wrap("*** Add File: vendor/lib/.git", "+gitdir: ../../evil")));
    expect(await readdir(join(workspace, "vendor", "lib"))).toEqual([]);
  });

  it("refuses through a symlink to .git, a parent symlink into it and a file symlink", async () => {
    await symlink(".git", join(workspace, "foo"));
    await symlink(join(".git", "hooks"), join(workspace, "hooks"));
    await symlink(join(".git", "config"), join(workspace, "cfg"));
    denial(await apply(wrap("*** Update File: foo/config", ...fsmonitorHunk)));
    denial(await apply(wrap("*** Add File: hooks/pre-commit", "+#!/bin/sh", "+touch /tmp/x")));
    denial(await apply(wrap("*** Update File: cfg", ...fsmonitorHunk)));
    await expectGitUntouched();
  });

  it("refuses Move to into .git and moving or deleting out of it", async () => {
    const moveIn = wrap("*** Update File: notes.txt", "*** Move to: .git/hooks/pre-commit");
    denial(await apply(moveIn));
    expect(await exists("notes.txt")).toBe(true);
    denial(await apply(wrap("*** Update File: .git/description", "*** Move to: description")));
    denial(await apply(wrap("*** Delete File: .git/HEAD")));
    expect(await exists(".git/description")).toBe(true);
    expect(await exists(".git/HEAD")).toBe(true);
    await expectGitUntouched();
  });

  it("refuses a git directory that is not called .git (a worktree's or a separate gitdir)", async () => {
    execFileSync("git", ["init", "-q", "--separate-git-dir", join(workspace, "store"), "app"], {
      cwd: workspace,
    });
    const storeConfig = await readFile(join(workspace, "store", "config"), "utf8");
    expect(denial(await apply(wrap("*** Update File: store/config", ...fsmonitorHunk)))).toContain(
      `is inside a git directory (${join(workspace, "store")})`,
    );
    denial(await apply(wrap("*** Add File: store/hooks/post-index-change", "+#!/bin/sh")));
    expect(await readFile(join(workspace, "store", "config"), "utf8")).toBe(storeConfig);
  });

  it("refuses a patch invoked through the shell tool the same way", async () => {
    const patch = wrap("*** Update File: .git/config", ...fsmonitorHunk);
    const viaShell = await shellTool.execute({ command: ["apply_patch", patch] }, context);
    denial(viaShell);
    await expectGitUntouched();
  });
});

describe("apply_patch in a sandboxed session refuses .hedge", () => {
  it("cannot create .hedge/config.toml where .hedge does not exist, nor in a sub-project", async () => {
    const overlay = ["+[sandbox]", '+mode = "danger-full-access"', "+network = true"];
    expect(denial(await apply(wrap("*** Add File: .hedge/config.toml", ...overlay)))).toContain(
      "hedge's project config (.hedge)",
    );
    denial(await apply(wrap("*** Add File: pkg/.hedge/config.toml", ...overlay)));
    denial(await apply(wrap("*** Update File: notes.txt", "*** Move to: .Hedge/config.toml")));
    expect(await exists(".hedge")).toBe(false);
    expect(await exists("pkg")).toBe(false);
  });

  it("still writes files that only look alike", async () => {
    const result = await apply(
      wrap(
        "*** Add File: .gitignore",
        "+dist/",
        "*** Add File: .github/workflows/ci.yml",
        "+on: push",
        "*** Add File: src/git/.hedgehog",
        "+ok",
      ),
    );
    expect(result.ok).toBe(true);
  });

  it("writes them in danger-full-access: the user chose no protection", async () => {
    const result = await apply(wrap("*** Add File: .hedge/config.toml", '+model = "x"'), {
      sandboxMode: "danger-full-access",
    });
    expect(result.ok).toBe(true);
    expect(await exists(".hedge/config.toml")).toBe(true);
  });
});
