import { execFile } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";

/** How many paths the index holds at most (a huge monorepo still answers quickly). */
const MAX_FILES = 50_000;
/** How many candidates a query returns. */
const MAX_RESULTS = 8;

/** `@` completion: the repository's files, searched by a fuzzy subsequence score. */
export interface MentionIndex {
  search(query: string): Promise<readonly string[]>;
  /** Forget the file list (files were added); the next search lists them again. */
  refresh(): void;
}

/**
 * Files of the repository holding `cwd`, as `git ls-files -co --exclude-standard` lists them
 * (tracked and untracked, `.gitignore` respected), relative to `cwd`; outside a repository a
 * bounded walk that skips hidden directories and `node_modules`. Listed once, on the first
 * search, and kept.
 */
export function createMentionIndex(cwd: string): MentionIndex {
  let files: Promise<readonly string[]> | undefined;
  return {
    async search(query) {
      files ??= listFiles(cwd).catch(() => []);
      return rankPaths(await files, query);
    },
    refresh() {
      files = undefined;
    },
  };
}

async function listFiles(cwd: string): Promise<readonly string[]> {
  const listed = await gitFiles(cwd);
  return listed ?? walk(cwd);
}

function gitFiles(cwd: string): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["ls-files", "-co", "--exclude-standard", "-z"],
      { cwd, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout) => {
        if (error) return resolve(undefined);
        resolve(stdout.split("\0").filter(Boolean).slice(0, MAX_FILES));
      },
    );
  });
}

async function walk(root: string): Promise<string[]> {
  const found: string[] = [];
  const queue = [root];
  while (queue.length > 0 && found.length < MAX_FILES) {
    const dir = queue.shift() ?? root;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) queue.push(path);
      else if (entry.isFile()) found.push(relative(root, path));
    }
  }
  return found;
}

/**
 * The best `limit` paths for `query`: its characters in order (case-insensitive), scored higher
 * when they match at the start of the file name, right after a separator, or in a run; shorter
 * paths break ties. An empty query lists the first paths.
 */
export function rankPaths(paths: readonly string[], query: string, limit = MAX_RESULTS): string[] {
  const needle = query.toLowerCase();
  if (needle === "") return paths.slice(0, limit);
  const scored: { path: string; score: number }[] = [];
  for (const path of paths) {
    const score = scorePath(path, needle);
    if (score !== undefined) scored.push({ path, score });
  }
  scored.sort(
    (a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : 1),
  );
  return scored.slice(0, limit).map(({ path }) => path);
}

function scorePath(path: string, needle: string): number | undefined {
  const haystack = path.toLowerCase();
  const nameStart = haystack.lastIndexOf("/") + 1;
  let score = 0;
  let at = 0;
  let previous = -2;
  for (const char of needle) {
    const found = haystack.indexOf(char, at);
    if (found < 0) return undefined;
    if (found === previous + 1) score += 3;
    if (found === nameStart) score += 6;
    else if (found === 0 || "/._-".includes(haystack[found - 1] ?? "")) score += 2;
    if (found >= nameStart) score += 1;
    previous = found;
    at = found + 1;
  }
  if (haystack.slice(nameStart).includes(needle)) score += 10;
  return score;
}
