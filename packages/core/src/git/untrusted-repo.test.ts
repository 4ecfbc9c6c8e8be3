import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitRoot } from "../instructions/agents-md.js";
import {
  changesAgainstHead,
  changesBetween,
  changesSince,
  snapshotWorktree,
} from "../qa/changes.js";
import { git } from "./run-git.js";

// A hostile repository: its config names a program for everything git can be made to run.
// Every git path of hedge runs against it; none of those programs may run.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function plainGit(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
    cwd: repo,
    encoding: "utf8",
  });
}

/** `sh -c` program text that appends `what` to the marker file. */
function writes(marker: string, what: string, then = ""): string {
  return `sh -c 'echo ${what} >> ${marker}; ${then}' --`;
}

function hostileRepo(): { repo: string; marker: string; elsewhere: string } {
  const repo = tempDir("hedge-hostile-repo-");
  const elsewhere = tempDir("hedge-hostile-elsewhere-");
  const marker = join(tempDir("hedge-hostile-marker-"), "ran");
  writeFileSync(join(elsewhere, "id_ed25519"), "PRIVATE KEY\n");
  plainGit(repo, "init", "-q");
  writeFileSync(join(repo, "a.txt"), "one\n");
  writeFileSync(join(repo, "b.bin"), "two\n");
  writeFileSync(
    join(repo, ".gitattributes"),
    "*.txt filter=cl diff=tx\n*.bin filter=a=b diff=tx\n",
  );

  // Hooks both where git looks by default and where the repository's core.hooksPath points.
  const hookScript = `#!/bin/sh\necho hook >> ${marker}\n`;
  mkdirSync(join(repo, "repo-hooks"));
  for (const dir of [join(repo, ".git", "hooks"), join(repo, "repo-hooks")]) {
    for (const name of [
      "post-index-change",
      "pre-commit",
      "post-checkout",
      "reference-transaction",
    ]) {
      writeFileSync(join(dir, name), hookScript);
      chmodSync(join(dir, name), 0o755);
    }
  }
  const included = join(repo, "included.gitconfig");
  writeFileSync(
    included,
    `[core]\n\tfsmonitor = "${writes(marker, "included-fsmonitor", "exit 1")}"\n`,
  );
  plainGit(repo, "add", ".");
  plainGit(repo, "commit", "-qm", "init");
  const config = [
    "[core]",
    `\tfsmonitor = "${writes(marker, "fsmonitor", "exit 1")}"`,
    `\tpager = "${writes(marker, "pager", "cat")}"`,
    `\thooksPath = ${join(repo, "repo-hooks")}`,
    `\teditor = "${writes(marker, "editor")}"`,
    `\tworktree = ${elsewhere}`,
    "[pager]",
    `\tdiff = "${writes(marker, "pager-diff", "cat")}"`,
    "[diff]",
    `\texternal = "${writes(marker, "external-diff")}"`,
    "\tsubmodule = diff",
    '[diff "tx"]',
    `\ttextconv = "${writes(marker, "textconv", 'cat "$1"')}"`,
    `\tcommand = "${writes(marker, "diff-driver")}"`,
    '[filter "cl"]',
    `\tclean = "${writes(marker, "clean", "cat")}"`,
    `\tsmudge = "${writes(marker, "smudge", "cat")}"`,
    "\trequired = true",
    '[filter "a=b"]',
    `\tclean = "${writes(marker, "clean-named-with-equals", "cat")}"`,
    `\tprocess = "${writes(marker, "process-filter")}"`,
    '[hook "configured"]',
    "\tevent = post-index-change",
    `\tcommand = "${writes(marker, "configured-hook")}"`,
    "[include]",
    `\tpath = ${included}`,
  ].join("\n");
  writeFileSync(
    join(repo, ".git", "config"),
    `${readFileSync(join(repo, ".git", "config"), "utf8")}${config}\n`,
  );
  return { repo, marker, elsewhere };
}

describe("hedge's own git in a hostile repository", () => {
  it("runs none of the programs the repository's config names, on every git path", async () => {
    const { repo, marker, elsewhere } = hostileRepo();
    // The plain git the user would run does execute them: the fixture is really hostile.
    plainGit(repo, "status");
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    expect(gitRoot(join(repo))).toBe(repo);
    const before = await snapshotWorktree(repo);
    writeFileSync(join(repo, "a.txt"), "one\nchanged by the turn\n");
    writeFileSync(join(repo, "b.bin"), "two\nchanged too\n");
    writeFileSync(join(repo, "new.txt"), "added\n");

    const since = await changesSince(repo, before, { budgetTokens: 4000 });
    const againstHead = await changesAgainstHead(repo, { budgetTokens: 4000 });
    const after = await snapshotWorktree(repo);
    const between = await changesBetween(repo, before, after, { budgetTokens: 4000 });
    await git(repo, ["status", "--porcelain"]);
    await git(repo, ["diff", "HEAD"]);
    await git(repo, ["log", "-p", "-1"]);

    expect(existsSync(marker) ? readFileSync(marker, "utf8") : "").toBe("");
    for (const changes of [since, againstHead, between]) {
      expect(changes.changes.map((change) => change.path).sort()).toEqual([
        "a.txt",
        "b.bin",
        "new.txt",
      ]);
      // The diff is git's own (no textconv, no external diff) of the files in this worktree,
      // not of the directory the repository's core.worktree names.
      const diff = changes.changes.map((change) => change.diff).join("\n");
      expect(diff).toContain("+changed by the turn");
      expect(diff).not.toContain("id_ed25519");
    }
    expect(existsSync(join(elsewhere, "id_ed25519"))).toBe(true);
  });

  it("still works in an ordinary repository and names a failing command", async () => {
    const repo = tempDir("hedge-plain-repo-");
    plainGit(repo, "init", "-q");
    writeFileSync(join(repo, "x.txt"), "x\n");
    const changes = await changesAgainstHead(repo, { budgetTokens: 1000 });
    expect(changes.changes).toMatchObject([{ path: "x.txt", status: "added" }]);
    await expect(git(repo, ["rev-parse", "--verify", "no-such-ref"])).rejects.toThrow(
      /^git rev-parse failed in .*: fatal: /,
    );
  });
});
