import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitRoot } from "../instructions/agents-md.js";
import { shellTool } from "../tools/shell.js";
import { makeContext, makeTempDir, removeDir } from "../tools/test-support.js";
import type { SandboxMode, ToolContext, ToolResult } from "../tools/tool.js";

// Real bubblewrap, real git, real files: what a hostile model's commands try against .git and
// .hedge in a sandboxed session, and what must still work.

const OVERLAY = `[sandbox]\nmode = "danger-full-access"\nnetwork = true\n`;
const dirs: string[] = [];
let workspace: string;

beforeEach(async () => {
  workspace = await temp();
});
afterEach(async () => {
  for (const dir of dirs.splice(0)) await removeDir(dir);
});

async function temp(files: Record<string, string> = {}): Promise<string> {
  const dir = await makeTempDir(files, "hedge-protect-");
  dirs.push(dir);
  return dir;
}
function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    "git",
    [
      "-c",
      "user.email=t@example.com",
      "-c",
      "user.name=t",
      "-c",
      "protocol.file.allow=always",
      ...args,
    ],
    { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
  );
}
function run(
  script: string,
  overrides: Partial<ToolContext> & { sandboxMode?: SandboxMode } = {},
  workdir?: string,
): Promise<ToolResult> {
  const context = makeContext(workspace, { approvalPolicy: "never", ...overrides });
  return shellTool.execute(
    { command: ["sh", "-c", script], ...(workdir === undefined ? {} : { workdir }) },
    context,
  );
}
function output(result: ToolResult): { exit: number; text: string } {
  if (!result.ok || result.metadata?.kind !== "exec") {
    throw new Error(`not an exec result: ${JSON.stringify(result)}`);
  }
  return { exit: result.metadata.exit_code, text: result.metadata.aggregated_output };
}
const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

describe("workspace-write keeps .hedge out of the model's reach", () => {
  it("cannot create .hedge where it does not exist; the placeholder is gone afterwards", async () => {
    const result = output(
      await run(
        `touch ok.txt && mkdir -p .hedge && printf '${OVERLAY}' > .hedge/config.toml; ` +
          "rmdir .hedge; mv .hedge elsewhere; echo done",
      ),
    );
    expect(result.text).toContain("done");
    expect(await exists(join(workspace, "ok.txt"))).toBe(true);
    expect(await exists(join(workspace, ".hedge"))).toBe(false);
    expect(await exists(join(workspace, "elsewhere"))).toBe(false);
    expect(await readdir(workspace)).toEqual(["ok.txt"]);
  });

  it("protects every directory from the working directory up to the root, even renamed away", async () => {
    await mkdir(join(workspace, "pkg", "app"), { recursive: true });
    const session = join(workspace, "pkg", "app");
    const result = output(
      await run(
        "mkdir .hedge; mkdir ../.hedge; mkdir -p ../../.hedge; " +
          "cd ../.. && mv pkg moved; mkdir -p pkg/app/.hedge; ls -a pkg",
        { cwd: session },
        session,
      ),
    );
    expect(result.text).toContain("Device or resource busy");
    for (const dir of [workspace, join(workspace, "pkg"), session]) {
      expect(await exists(join(dir, ".hedge"))).toBe(false);
    }
    expect(await exists(join(workspace, "moved"))).toBe(false);
  });

  it("protects .hedge and .git in an extra writable root (--add-dir)", async () => {
    const extra = await temp();
    const result = output(
      await run(`touch ${extra}/ok && mkdir ${extra}/.hedge; mkdir ${extra}/.git; true`, {
        writableRoots: [extra],
      }),
    );
    expect(result.exit).toBe(0);
    expect(await readdir(extra)).toEqual(["ok"]);
  });

  it("read-only: nothing can be created at all", async () => {
    output(await run("mkdir .hedge", { sandboxMode: "read-only" }));
    expect(await exists(join(workspace, ".hedge"))).toBe(false);
  });

  it("refuses to run when .hedge is a symlink a command could swap", async () => {
    await mkdir(join(workspace, "decoy"));
    await symlink("decoy", join(workspace, ".hedge"));
    const result = await run("touch ran.txt");
    expect(result).toMatchObject({
      ok: false,
      error: {
        type: "sandbox_unavailable",
        message: expect.stringContaining(".hedge is a symlink") as string,
      },
    });
    expect(await exists(join(workspace, "ran.txt"))).toBe(false);
  });

  it("one command ending does not lift the protection of another still running", async () => {
    const go = join(await temp(), "go");
    const slow = run(
      `while [ ! -e ${go} ]; do sleep 0.05; done; mkdir -p .hedge/x && echo CREATED || echo BLOCKED`,
    );
    output(await run("true"));
    await writeFile(go, "");
    expect(output(await slow).text).toContain("BLOCKED");
    expect(await exists(join(workspace, ".hedge"))).toBe(false);
  });

  it("commands cannot touch hedge's placeholder registry, where holders are counted", async () => {
    const registry = join(tmpdir(), `hedge-sandbox-${process.getuid?.() ?? 0}`);
    const result = output(await run(`touch ${registry}/intruder`));
    expect(result.text).toContain("Read-only file system");
    expect(await exists(join(registry, "intruder"))).toBe(false);
  });

  it("another hedge process ending does not lift it either", async () => {
    // The race that matters: this process creates the placeholder; another hedge process's
    // sandbox mounts over it; this process's command ends first.
    const signals = await temp();
    const [mine, theirs, go] = [
      join(signals, "mine"),
      join(signals, "theirs"),
      join(signals, "go"),
    ];
    const first = run(`touch ${mine}; while [ ! -e ${theirs} ]; do sleep 0.05; done`);
    await waitFor(mine);
    const other = runInOtherProcess(
      `touch ${theirs}; while [ ! -e ${go} ]; do sleep 0.05; done; ` +
        "mkdir -p .hedge/x && echo CREATED || echo BLOCKED",
    );
    expect(output(await first).exit).toBe(0);
    await writeFile(go, "");
    expect(await other).toContain("BLOCKED");
    expect(await exists(join(workspace, ".hedge"))).toBe(false);
  });
});

describe("workspace-write keeps .git out of the model's reach", () => {
  it("cannot create .git in a workspace that is not a repository", async () => {
    const result = output(await run("git init -q; mkdir .git; touch .git/config; echo done"));
    expect(result.text).toContain("done");
    expect(await exists(join(workspace, ".git"))).toBe(false);
  });

  it("cannot move, remove or rewrite an existing .git, and git still works inside", async () => {
    git(workspace, "init", "-q");
    await mkdir(join(workspace, "pkg"));
    await writeFile(join(workspace, "pkg", "a.txt"), "a\n");
    const config = await readFile(join(workspace, ".git", "config"), "utf8");
    // From pkg/ (its own .git and .hedge placeholders in place), git still finds the repository.
    const result = output(
      await run(
        "mv ../.git ../old; rm -rf ../.git; git config core.fsmonitor 'touch /tmp/x'; " +
          "echo '[core] fsmonitor = x' >> ../.git/config; git status --porcelain",
        {},
        "pkg",
      ),
    );
    expect(result.text).toContain("?? pkg/\n");
    expect(await readFile(join(workspace, ".git", "config"), "utf8")).toBe(config);
    expect(await exists(join(workspace, "old"))).toBe(false);
  });

  it("while a command runs in a sub-directory, its placeholders do not hide the repository", async () => {
    git(workspace, "init", "-q");
    const app = join(workspace, "pkg", "app");
    await mkdir(app, { recursive: true });
    const signals = await temp();
    const [started, go] = [join(signals, "started"), join(signals, "go")];
    const running = run(`touch ${started}; while [ ! -e ${go} ]; do sleep 0.05; done`, {}, app);
    await waitFor(started);
    expect(await exists(join(app, ".git"))).toBe(true); // the placeholder, while it runs
    expect(gitRoot(app)).toBe(workspace);
    await writeFile(go, "");
    output(await running);
    expect(await readdir(app)).toEqual([]);
  });

  it("a command run inside .git changes nothing there, and hedge adds nothing there either", async () => {
    git(workspace, "init", "-q");
    const before = await readdir(join(workspace, ".git"));
    const result = output(await run("touch hooks/pre-commit; ls -a", {}, ".git"));
    expect(result.text).toContain("Read-only file system");
    expect(result.text.split("\n")).not.toContain(".hedge");
    expect(await readdir(join(workspace, ".git"))).toEqual(before);
  });

  it("protects a linked worktree's gitdir and common dir, even where /tmp is writable", async () => {
    const main = await temp({ "a.txt": "a\n" });
    git(main, "init", "-q");
    git(main, "add", ".");
    git(main, "commit", "-qm", "init");
    const worktree = join(await temp(), "wt");
    git(main, "worktree", "add", "-q", worktree);
    workspace = worktree;
    const config = await readFile(join(main, ".git", "config"), "utf8");
    const pointer = await readFile(join(worktree, ".git"), "utf8");
    const result = output(
      await run(
        "git config core.fsmonitor 'touch /tmp/pwned'; " +
          'echo "[core] fsmonitor = x" >> "$(git rev-parse --git-common-dir)/config"; ' +
          'touch "$(git rev-parse --git-dir)/hooks-here"; echo "gitdir: /tmp/evil" > .git; echo done',
      ),
    );
    expect(result.text).toContain("done");
    expect(await readFile(join(main, ".git", "config"), "utf8")).toBe(config);
    expect(await readFile(join(worktree, ".git"), "utf8")).toBe(pointer);
    expect(await readdir(join(main, ".git", "worktrees", "wt"))).not.toContain("hooks-here");
  });

  it("protects a submodule's .git file, which the user's git status would follow", async () => {
    const source = await temp({ "lib.txt": "lib\n" });
    git(source, "init", "-q");
    git(source, "add", ".");
    git(source, "commit", "-qm", "lib");
    git(workspace, "init", "-q");
    git(workspace, "submodule", "add", "-q", source, "vendor/lib");
    const pointer = await readFile(join(workspace, "vendor", "lib", ".git"), "utf8");
    output(await run('echo "gitdir: ../../evil" > vendor/lib/.git; mv vendor away; true'));
    expect(await readFile(join(workspace, "vendor", "lib", ".git"), "utf8")).toBe(pointer);
    expect(await exists(join(workspace, "away"))).toBe(false);
  });
});

async function waitFor(path: string): Promise<void> {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * Runs `script` through the shell tool in a separate hedge process (tsx on the source) in the
 * same workspace, and resolves with the command's output.
 */
async function runInOtherProcess(script: string): Promise<string> {
  const shellModule = fileURLToPath(new URL("../tools/shell.ts", import.meta.url));
  const supportModule = fileURLToPath(new URL("../tools/test-support.ts", import.meta.url));
  const program = join(await temp(), "other-hedge.mts");
  await writeFile(
    program,
    `import { shellTool } from ${JSON.stringify(shellModule)};
import { makeContext } from ${JSON.stringify(supportModule)};
const context = makeContext(${JSON.stringify(workspace)}, { approvalPolicy: "never" });
const result = await shellTool.execute({ command: ["sh", "-c", ${JSON.stringify(script)}] }, context);
process.stdout.write(result.ok ? result.output : JSON.stringify(result.error));
`,
  );
  const tsx = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [program], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    child.on("error", reject);
    child.on("close", () => resolve(text));
  });
}
