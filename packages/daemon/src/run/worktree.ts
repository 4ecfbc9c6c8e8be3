import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { git } from "@hedge/core";

/** Whether `dir` or a parent holds `.git`: outside a repository no git process is started. */
function insideRepository(dir: string): boolean {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (existsSync(join(current, ".git"))) return true;
    if (dirname(current) === current) return false;
  }
}

/** The commit a run starts from, or null outside a git repository (no diff stat then). */
export async function headCommit(cwd: string): Promise<string | null> {
  if (!insideRepository(cwd)) return null;
  try {
    return (await git(cwd, ["rev-parse", "--verify", "HEAD"])).stdout.trim() || null;
  } catch {
    return null;
  }
}

/**
 * A fresh detached worktree of `repo`'s HEAD under `$HEDGE_HOME/worktrees/<loop>/<run>`.
 * git runs with hedge's untrusted-repository protections: the repository's hooks, fsmonitor
 * and drivers never run (the loop's cwd is a repository hedge does not trust).
 */
export async function addWorktree(
  home: string,
  repo: string,
  loopId: string,
  runId: string,
): Promise<string> {
  const path = join(home, "worktrees", loopId, runId);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await git(repo, ["worktree", "add", "--detach", path, "HEAD"]);
  return path;
}

/** Removes a clean worktree; keeps a dirty one (true = kept). */
export async function settleWorktree(repo: string, path: string): Promise<boolean> {
  const status = await git(path, ["status", "--porcelain", "--untracked-files=all"]);
  if (status.stdout.trim() !== "") return true;
  await git(repo, ["worktree", "remove", path]);
  return false;
}

/** Clears metadata of worktrees whose directories are gone (a crash between add and remove). */
export async function pruneWorktrees(repo: string): Promise<void> {
  await git(repo, ["worktree", "prune"]).catch(() => undefined);
}

/** Files, insertions and deletions since `base` (commits and working tree) plus untracked files. */
export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
}

export async function diffSince(cwd: string, base: string): Promise<DiffStat> {
  const numstat = await git(cwd, ["diff", "--numstat", base], { capBytes: 1 << 20 });
  let files = 0;
  let insertions = 0;
  let deletions = 0;
  for (const line of numstat.stdout.split("\n")) {
    const [added, removed] = line.split("\t");
    if (added === undefined || removed === undefined) continue;
    files += 1;
    insertions += Number(added) || 0;
    deletions += Number(removed) || 0;
  }
  const untracked = await git(cwd, ["ls-files", "--others", "--exclude-standard"], {
    capBytes: 1 << 20,
  });
  files += untracked.stdout.split("\n").filter((line) => line.length > 0).length;
  return { files, insertions, deletions };
}
