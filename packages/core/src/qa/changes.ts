import { copyFile, mkdtemp, rm, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { repoGit, type RepoGit } from "../git/run-git.js";

/** How a file changed. Copies count as added, type changes (file <-> symlink) as modified. */
export type ChangeStatus = "added" | "modified" | "deleted" | "renamed";

/** One changed file with its unified diff, possibly cut to fit the budget. */
export interface ChangedFile {
  /** Path relative to the repository root (the new path of a rename). */
  path: string;
  status: ChangeStatus;
  /** The path before a rename. */
  oldPath?: string;
  /** Unified diff; truncated (marked at its end) or empty when the budget ran out. */
  diff: string;
}

/** The files changed, and a note naming what was cut when not everything fit. */
export interface ChangeSet {
  changes: ChangedFile[];
  note?: string;
}

export interface ChangeBudget {
  /** Tokens the diffs may take together, counted as about four characters a token. */
  budgetTokens: number;
}

const CHARS_PER_TOKEN = 4;
/** A diff cut shorter than this says too little; it is left out instead. */
const MIN_KEPT_CHARS = 240;
/** More changed files than this are not listed (a vendored directory, a build output). */
const MAX_FILES = 400;
/** The note names at most this many cut files. */
const MAX_NAMED = 30;
const DIFF_CONCURRENCY = 8;
export const TRUNCATION_MARKER = "[... diff truncated to fit the QA budget ...]";

/**
 * Records the working tree as it is now, untracked files included (ignored files not), as a git
 * tree object, and returns its id. The user's index, worktree and `git status` stay untouched:
 * the tree is built in a temporary copy of the index (`GIT_INDEX_FILE`).
 */
export async function snapshotWorktree(repo: string): Promise<string> {
  const git = repoGit(repo);
  const dir = await mkdtemp(join(tmpdir(), "hedge-qa-index-"));
  const index = join(dir, "index");
  try {
    // Seeding from the real index keeps git's stat cache (fast) and sparse-checkout entries.
    const realIndex = resolve(
      repo,
      (await git(["rev-parse", "--git-path", "index"])).stdout.trim(),
    );
    await copyIndex(realIndex, index);
    const env = { GIT_INDEX_FILE: index };
    await git(["add", "--all", "--", ":/"], { env });
    return (await git(["write-tree"], { env })).stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Copies the index keeping its timestamp (a second earlier, to be safe): git trusts a file's
 * cached stat only when the file is older than the index, so a fresh timestamp on the copy would
 * hide an edit made within the same second as the last `git add` or commit ("racy git").
 */
async function copyIndex(from: string, to: string): Promise<void> {
  let modified: number;
  try {
    modified = (await stat(from)).mtimeMs;
    await copyFile(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // no index yet
    throw error;
  }
  const earlier = (modified - 1000) / 1000;
  await utimes(to, earlier, earlier);
}

/** What changed in the working tree since `snapshot` (from {@link snapshotWorktree}). */
export async function changesSince(
  repo: string,
  snapshot: string,
  budget: ChangeBudget,
): Promise<ChangeSet> {
  return changesBetween(repo, snapshot, await snapshotWorktree(repo), budget);
}

/** Uncommitted changes against HEAD, untracked files included (everything in a fresh repo). */
export async function changesAgainstHead(repo: string, budget: ChangeBudget): Promise<ChangeSet> {
  // The snapshot first: outside a repository it fails with git's own clear complaint.
  const current = await snapshotWorktree(repo);
  const git = repoGit(repo);
  const head = await git(["rev-parse", "--verify", "--quiet", "HEAD^{tree}"]).catch(
    () => undefined, // no commit yet
  );
  const base = head?.stdout.trim() || (await emptyTree(git));
  return changesBetween(repo, base, current, budget);
}

/** The changes from tree `from` to tree `to`, diffs fitted to the budget. */
export async function changesBetween(
  repo: string,
  from: string,
  to: string,
  budget: ChangeBudget,
): Promise<ChangeSet> {
  const git = repoGit(repo);
  const listing = await git([
    "diff",
    "--name-status",
    "-z",
    "--find-renames",
    "--no-ext-diff",
    from,
    to,
  ]);
  const entries = parseNameStatus(listing.stdout);
  const listed = entries.slice(0, MAX_FILES);
  const budgetChars = Math.max(0, Math.floor(budget.budgetTokens * CHARS_PER_TOKEN));
  const raw = await mapLimit(listed, DIFF_CONCURRENCY, (entry) =>
    git(
      [
        "--literal-pathspecs",
        "diff",
        "--find-renames",
        "--no-ext-diff",
        "--no-textconv",
        "--no-color",
        "--src-prefix=a/",
        "--dst-prefix=b/",
        from,
        to,
        "--",
        ...(entry.oldPath === undefined ? [] : [entry.oldPath]),
        entry.path,
      ],
      { capBytes: budgetChars + 1 },
    ),
  );
  const fitted = fitToBudget(
    raw.map((output) => ({ text: output.stdout, complete: !output.truncated })),
    budgetChars,
  );
  const changes = listed.map((entry, index): ChangedFile => ({
    ...entry,
    diff: fitted[index]?.text ?? "",
  }));
  const note = cutNote(
    listed.filter((_entry, index) => fitted[index]?.cut === "truncated").map((entry) => entry.path),
    listed.filter((_entry, index) => fitted[index]?.cut === "omitted").map((entry) => entry.path),
    entries.length - listed.length,
    budget.budgetTokens,
  );
  return note === undefined ? { changes } : { changes, note };
}

type Entry = Omit<ChangedFile, "diff">;

/** Parses `git diff --name-status -z`: `STATUS\0path\0` or `R100\0old\0new\0`. */
export function parseNameStatus(output: string): Entry[] {
  const fields = output.split("\0");
  const entries: Entry[] = [];
  for (let index = 0; index < fields.length;) {
    const code = fields[index] ?? "";
    index += 1;
    if (!code) continue;
    const kind = code[0];
    if (kind === "R" || kind === "C") {
      const oldPath = fields[index] ?? "";
      const path = fields[index + 1] ?? "";
      index += 2;
      entries.push(kind === "R" ? { path, status: "renamed", oldPath } : { path, status: "added" });
      continue;
    }
    const path = fields[index] ?? "";
    index += 1;
    const status: ChangeStatus = kind === "A" ? "added" : kind === "D" ? "deleted" : "modified";
    entries.push({ path, status });
  }
  return entries;
}

export interface FittedDiff {
  text: string;
  cut: "none" | "truncated" | "omitted";
}

/**
 * Shares the budget fairly: smaller diffs are kept whole first, and what remains is split
 * evenly among the larger ones, each cut at a line boundary. A diff whose share is too small to
 * say anything is left out. Order of the result follows the input.
 */
export function fitToBudget(
  diffs: readonly { text: string; complete: boolean }[],
  budgetChars: number,
): FittedDiff[] {
  const result: FittedDiff[] = diffs.map(() => ({ text: "", cut: "omitted" }));
  const order = diffs
    .map((diff, index) => ({ index, length: diff.complete ? diff.text.length : Infinity }))
    .sort((a, b) => a.length - b.length);
  let remaining = budgetChars;
  order.forEach(({ index, length }, position) => {
    const diff = diffs[index];
    if (!diff) return;
    const share = Math.floor(remaining / (order.length - position));
    if (length <= share) {
      result[index] = { text: diff.text, cut: "none" };
      remaining -= length;
      return;
    }
    const room = share - TRUNCATION_MARKER.length - 1;
    if (room < MIN_KEPT_CHARS) return;
    const text = `${cutAtLine(diff.text, room)}${TRUNCATION_MARKER}`;
    result[index] = { text, cut: "truncated" };
    remaining -= text.length;
  });
  return result;
}

function cutAtLine(text: string, limit: number): string {
  const head = text.slice(0, limit);
  const lineEnd = head.lastIndexOf("\n");
  return lineEnd >= limit / 2 ? head.slice(0, lineEnd + 1) : `${head}\n`;
}

function cutNote(
  truncated: readonly string[],
  omitted: readonly string[],
  unlisted: number,
  budgetTokens: number,
): string | undefined {
  const parts: string[] = [];
  if (truncated.length > 0) parts.push(`diff truncated: ${names(truncated)}`);
  if (omitted.length > 0) parts.push(`diff omitted: ${names(omitted)}`);
  if (unlisted > 0) parts.push(`${unlisted} more changed files not listed`);
  if (parts.length === 0) return undefined;
  return `${parts.join("; ")} (diff budget ${budgetTokens} tokens)`;
}

function names(paths: readonly string[]): string {
  const shown = paths.slice(0, MAX_NAMED).join(", ");
  return paths.length > MAX_NAMED ? `${shown} and ${paths.length - MAX_NAMED} more` : shown;
}

async function emptyTree(git: RepoGit): Promise<string> {
  // `mktree` with no input writes the empty tree in the repository's own hash format.
  return (await git(["mktree"], { input: "" })).stdout.trim();
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
