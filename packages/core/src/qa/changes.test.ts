import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  TRUNCATION_MARKER,
  changesAgainstHead,
  changesSince,
  fitToBudget,
  parseNameStatus,
  snapshotWorktree,
} from "./changes.js";

const repos: string[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) rmSync(repo, { recursive: true, force: true });
});

function git(repo: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
    cwd: repo,
    encoding: "utf8",
  });
}

/** A repository with one commit (README, src/math.js, docs/old.md) and one untracked file. */
function makeRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), "hedge-qa-changes-"));
  repos.push(repo);
  git(repo, "init", "-q");
  mkdirSync(join(repo, "src"));
  mkdirSync(join(repo, "docs"));
  writeFileSync(join(repo, "README.md"), "# calc\n");
  writeFileSync(join(repo, "src", "math.js"), "export const add = (a, b) => a - b;\n");
  writeFileSync(join(repo, "docs", "old.md"), `${"Some documentation line.\n".repeat(20)}`);
  writeFileSync(join(repo, ".gitignore"), "build/\n");
  git(repo, "add", ".");
  git(repo, "commit", "-qm", "init");
  writeFileSync(join(repo, "notes.txt"), "untracked before the turn\n");
  return repo;
}

function status(repo: string): string {
  return git(repo, "status", "--porcelain=v1", "--untracked-files=all");
}

describe("snapshotWorktree", () => {
  it("records the worktree without changing git status or the index", async () => {
    const repo = makeRepo();
    writeFileSync(join(repo, "src", "math.js"), "export const add = (a, b) => a + b;\n");
    git(repo, "add", "src/math.js");
    writeFileSync(join(repo, "README.md"), "# calc\n\nunstaged\n");
    const before = status(repo);
    const indexBefore = readFileSync(join(repo, ".git", "index"));

    const tree = await snapshotWorktree(repo);

    expect(tree).toMatch(/^[0-9a-f]{40,64}$/);
    expect(status(repo)).toBe(before);
    expect(readFileSync(join(repo, ".git", "index")).equals(indexBefore)).toBe(true);
    // The tree holds the untracked file and the unstaged edit, not what is ignored.
    expect(git(repo, "ls-tree", "-r", "--name-only", tree)).toContain("notes.txt");
    expect(git(repo, "show", `${tree}:README.md`)).toContain("unstaged");
  });
});

describe("changesSince", () => {
  it("reports added, modified, deleted, renamed and untracked files of the turn only", async () => {
    const repo = makeRepo();
    const snapshot = await snapshotWorktree(repo);
    // The turn: edit, add (untracked), delete, rename; notes.txt predates it and is untouched.
    writeFileSync(join(repo, "src", "math.js"), "export const add = (a, b) => a + b;\n");
    writeFileSync(join(repo, "src", "math.test.js"), "// new test\n");
    unlinkSync(join(repo, "README.md"));
    renameSync(join(repo, "docs", "old.md"), join(repo, "docs", "guide.md"));
    mkdirSync(join(repo, "build"));
    writeFileSync(join(repo, "build", "out.js"), "ignored\n");

    const result = await changesSince(repo, snapshot, { budgetTokens: 4000 });

    expect(result.note).toBeUndefined();
    const summary = result.changes.map(({ path, status, oldPath }) => ({ path, status, oldPath }));
    expect(summary).toEqual([
      { path: "README.md", status: "deleted", oldPath: undefined },
      { path: "docs/guide.md", status: "renamed", oldPath: "docs/old.md" },
      { path: "src/math.js", status: "modified", oldPath: undefined },
      { path: "src/math.test.js", status: "added", oldPath: undefined },
    ]);
    const math = result.changes.find((change) => change.path === "src/math.js");
    expect(math?.diff).toContain("-export const add = (a, b) => a - b;");
    expect(math?.diff).toContain("+export const add = (a, b) => a + b;");
    expect(result.changes.find((change) => change.status === "added")?.diff).toContain(
      "+// new test",
    );
    expect(result.changes.find((change) => change.status === "renamed")?.diff).toContain(
      "rename from docs/old.md",
    );
  });

  it("finds nothing when the turn changed nothing", async () => {
    const repo = makeRepo();
    const snapshot = await snapshotWorktree(repo);
    expect(await changesSince(repo, snapshot, { budgetTokens: 1000 })).toEqual({ changes: [] });
  });

  it("cuts diffs to the token budget and names what was cut", async () => {
    const repo = makeRepo();
    const snapshot = await snapshotWorktree(repo);
    writeFileSync(join(repo, "small.txt"), "one line\n");
    writeFileSync(join(repo, "big.txt"), `${"a long line of generated content\n".repeat(400)}`);
    writeFileSync(join(repo, "huge.txt"), `${"another long line of content here\n".repeat(4000)}`);

    const result = await changesSince(repo, snapshot, { budgetTokens: 500 });

    const byPath = new Map(result.changes.map((change) => [change.path, change]));
    expect([...byPath.keys()]).toEqual(["big.txt", "huge.txt", "small.txt"]);
    expect(byPath.get("small.txt")?.diff).toContain("+one line");
    expect(byPath.get("big.txt")?.diff.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(byPath.get("huge.txt")?.diff.endsWith(TRUNCATION_MARKER)).toBe(true);
    const total = result.changes.reduce((sum, change) => sum + change.diff.length, 0);
    expect(total).toBeLessThanOrEqual(500 * 4);
    expect(result.note).toBe("diff truncated: big.txt, huge.txt (diff budget 500 tokens)");
  });

  it("leaves a diff out when its share is too small, still listing the file", async () => {
    const repo = makeRepo();
    const snapshot = await snapshotWorktree(repo);
    writeFileSync(join(repo, "a.txt"), `${"line a\n".repeat(300)}`);
    writeFileSync(join(repo, "b.txt"), `${"line b\n".repeat(300)}`);
    const result = await changesSince(repo, snapshot, { budgetTokens: 50 });
    expect(result.changes.map((change) => [change.path, change.diff])).toEqual([
      ["a.txt", ""],
      ["b.txt", ""],
    ]);
    expect(result.note).toBe("diff omitted: a.txt, b.txt (diff budget 50 tokens)");
  });
});

describe("changesAgainstHead", () => {
  it("reports uncommitted changes including untracked files", async () => {
    const repo = makeRepo();
    writeFileSync(join(repo, "README.md"), "# calc\n\nchanged\n");
    const before = status(repo);
    const result = await changesAgainstHead(repo, { budgetTokens: 2000 });
    expect(result.changes.map(({ path, status }) => [path, status])).toEqual([
      ["README.md", "modified"],
      ["notes.txt", "added"],
    ]);
    expect(status(repo)).toBe(before);
  });

  it("sees a same-size edit made in the same second as the commit (racy git)", async () => {
    const repo = makeRepo();
    // Same length as the committed line, written right after the commit.
    writeFileSync(join(repo, "src", "math.js"), "export const add = (a, b) => a + b;\n");
    const result = await changesAgainstHead(repo, { budgetTokens: 2000 });
    expect(result.changes.map(({ path }) => path)).toContain("src/math.js");
    const snapshot = await snapshotWorktree(repo);
    writeFileSync(join(repo, "src", "math.js"), "export const add = (a, b) => a * b;\n");
    const since = await changesSince(repo, snapshot, { budgetTokens: 2000 });
    expect(since.changes.map(({ path, status }) => [path, status])).toEqual([
      ["src/math.js", "modified"],
    ]);
  });

  it("treats everything as added in a repository without commits", async () => {
    const repo = mkdtempSync(join(tmpdir(), "hedge-qa-changes-"));
    repos.push(repo);
    git(repo, "init", "-q");
    writeFileSync(join(repo, "first.txt"), "hello\n");
    const result = await changesAgainstHead(repo, { budgetTokens: 2000 });
    expect(result.changes).toEqual([
      expect.objectContaining({ path: "first.txt", status: "added" }),
    ]);
    expect(result.changes[0]?.diff).toContain("+hello");
  });

  it("fails with a message naming the directory outside a repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hedge-qa-norepo-"));
    repos.push(dir);
    await expect(changesAgainstHead(dir, { budgetTokens: 100 })).rejects.toThrow(
      /git rev-parse failed in .*hedge-qa-norepo-.*not a git repository/,
    );
  });
});

describe("parseNameStatus / fitToBudget", () => {
  it("parses -z output with renames, copies and type changes", () => {
    expect(parseNameStatus("M\0a b.txt\0R087\0old\0new\0C100\0x\0y\0T\0link\0D\0gone\0")).toEqual([
      { path: "a b.txt", status: "modified" },
      { path: "new", status: "renamed", oldPath: "old" },
      { path: "y", status: "added" },
      { path: "link", status: "modified" },
      { path: "gone", status: "deleted" },
    ]);
  });

  it("keeps small diffs whole and shares the rest among large ones", () => {
    const small = { text: "s".repeat(100), complete: true };
    const large = { text: `${"l".repeat(99)}\n`.repeat(50), complete: true };
    const fitted = fitToBudget([large, small, large], 1100);
    expect(fitted[1]).toEqual({ text: small.text, cut: "none" });
    expect(fitted[0]?.cut).toBe("truncated");
    expect(fitted[2]?.cut).toBe("truncated");
    expect(fitted.reduce((sum, diff) => sum + diff.text.length, 0)).toBeLessThanOrEqual(1100);
  });
});
