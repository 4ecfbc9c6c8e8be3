import { lstatSync, readFileSync, readdirSync, realpathSync, type Stats } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { isInside } from "../tools/paths.js";
import { SandboxUnavailableError } from "./bwrap.js";
import { PROTECTED_NAMES, protectedNameOf } from "./protected-names.js";

/**
 * What bubblewrap must do, on top of the writable binds, so that a sandboxed command cannot
 * create or change `.git` or `.hedge` in `workspace-write`.
 *
 * How deep hedge looks, and why: a recursive scan of the workspace for every nested `.git`
 * would cost a walk of the whole tree (node_modules included) before each command, and still
 * could not stop `git init sub` from making a new one. So hedge protects the places where git
 * and hedge themselves look, which are few and cheap to find (a handful of `lstat`s per
 * command):
 * - `.git` and `.hedge` in every writable root and in every directory from the session's and the
 *   command's working directory up to its writable root: hedge reads the project overlay from the
 *   first `.hedge/config.toml` between cwd and the git root, and git discovers the repository
 *   from cwd upwards;
 * - what a `.git` there leads to: a worktree's or submodule's `.git` file, its gitdir and that
 *   gitdir's common dir (a linked worktree's repository may live in another writable place, such
 *   as /tmp), the `.git` files of the repository's submodules (found in `modules/*` of the common
 *   dir) and of its linked worktrees (`worktrees/*`/gitdir), which git reads when it recurses.
 * Deeper nested repositories are protected from `apply_patch` (which refuses any `.git` or git
 * directory) but not from commands; hedge's own git runs none of their programs either way.
 *
 * The mechanisms: an existing path is bound read-only onto itself; a missing name gets an empty
 * directory (created by hedge, removed after the command: see `placeholders.ts`) bound read-only,
 * so nothing can be created under it and it cannot be removed; every directory between the
 * writable root and a protected path is bound onto itself (still writable) so that renaming a
 * parent away cannot carry the protection off with it (a mount point cannot be renamed).
 */
export interface ProtectedPathPlan {
  /** Directories bound onto themselves (writable) so they cannot be moved or removed. */
  pinned: string[];
  /** Existing paths bound read-only (what a `.git` leads to). */
  readOnly: string[];
  /**
   * `.git` and `.hedge` in the protected directories, existing or not, bound read-only: a missing
   * one needs its placeholder before bubblewrap starts (bubblewrap refuses a missing source).
   */
  names: string[];
}

export interface ProtectionInput {
  /** Canonical writable roots (the workspace and `--add-dir` roots). */
  roots: readonly string[];
  /** Every canonical path bound writable (the roots, /tmp, $TMPDIR). */
  writable: readonly string[];
  /** Directories whose chain up to their root is protected: the session's and the command's cwd. */
  from: readonly string[];
}

/** Most submodule and worktree entries hedge reads per repository (a bound on the cost). */
const MAX_LINKED_ENTRIES = 500;

/**
 * Finds what to protect. Throws {@link SandboxUnavailableError} when a protected name is a
 * symlink inside a writable place: a command could replace the link itself, which no mount can
 * prevent, so hedge will not pretend to protect it.
 */
export function planProtectedPaths(input: ProtectionInput): ProtectedPathPlan {
  const readOnly = new Set<string>();
  const names = new Set<string>();
  const writableHolder = (path: string): string | undefined => deepest(path, input.writable);
  const protect = (path: string, stats: Stats): void => {
    if (writableHolder(path) === undefined) return; // already read-only
    if (stats.isSymbolicLink()) throw symlinkError(path);
    readOnly.add(path);
  };

  const directories = new Set(input.roots);
  for (const start of input.from) {
    const from = canonical(start);
    const root = deepest(from, input.roots);
    if (root === undefined) continue;
    for (let directory = from; ; directory = dirname(directory)) {
      // Inside a protected .git or .hedge nothing can be created anyway: no placeholders there.
      const insideProtected = relative(root, directory)
        .split(sep)
        .some((component) => protectedNameOf(component) !== undefined);
      if (!insideProtected) directories.add(directory);
      if (directory === root || dirname(directory) === directory) break;
    }
  }
  for (const directory of directories) {
    for (const name of PROTECTED_NAMES) {
      const path = join(directory, name);
      names.add(path);
      const stats = lstatOrUndefined(path);
      if (stats === undefined) continue;
      if (stats.isSymbolicLink()) throw symlinkError(path);
      if (name === ".git") {
        for (const linked of gitLinkedPaths(path, stats)) {
          const linkedStats = lstatOrUndefined(linked);
          if (linkedStats !== undefined) protect(canonicalParent(linked), linkedStats);
        }
      }
    }
  }

  const guarded = [...readOnly, ...names];
  const pinned = new Set<string>();
  for (const path of guarded) {
    const holder = writableHolder(path);
    if (holder === undefined) continue;
    for (let directory = dirname(path); directory !== holder; directory = dirname(directory)) {
      if (!isInside(directory, holder) || dirname(directory) === directory) break;
      if (!guarded.some((protectedPath) => isInside(directory, protectedPath))) {
        pinned.add(directory);
      }
    }
  }
  return { pinned: byDepth(pinned), readOnly: byDepth(readOnly), names: byDepth(names) };
}

/** bubblewrap arguments for a plan: pins first, then the read-only binds, shallow to deep. */
export function protectedPathArgs(plan: ProtectedPathPlan): string[] {
  const args: string[] = [];
  for (const path of plan.pinned) args.push("--bind", path, path);
  for (const path of byDepth([...plan.readOnly, ...plan.names])) {
    args.push("--ro-bind", path, path);
  }
  return args;
}

/**
 * Paths a `.git` leads to: for a `.git` file its gitdir, and the common dir (the gitdir's
 * `commondir`, or the `.git` directory itself); then the `.git` files of the common dir's
 * submodules and linked worktrees.
 */
function gitLinkedPaths(dotGit: string, stats: Stats): string[] {
  const linked: string[] = [];
  let common = dotGit;
  if (stats.isFile()) {
    const gitdir = pointer(dotGit, /^gitdir:\s*(.+)$/m);
    if (gitdir === undefined) return [];
    linked.push(gitdir);
    common = pointer(join(gitdir, "commondir")) ?? gitdir;
    linked.push(common);
  } else if (!stats.isDirectory()) {
    return [];
  }
  let budget = MAX_LINKED_ENTRIES;
  const visitModules = (directory: string): void => {
    for (const name of readdirOrEmpty(directory)) {
      if (--budget < 0) return;
      const child = join(directory, name);
      if (lstatOrUndefined(join(child, "HEAD"))?.isFile() === true) {
        const worktree = coreWorktree(child);
        if (worktree !== undefined) linked.push(join(worktree, ".git"));
        visitModules(join(child, "modules"));
      } else if (lstatOrUndefined(child)?.isDirectory() === true) {
        visitModules(child); // a module name with slashes
      }
    }
  };
  visitModules(join(common, "modules"));
  for (const name of readdirOrEmpty(join(common, "worktrees")).slice(0, MAX_LINKED_ENTRIES)) {
    const worktreeDotGit = pointer(join(common, "worktrees", name, "gitdir"));
    if (worktreeDotGit !== undefined) linked.push(worktreeDotGit);
  }
  return linked;
}

/** The path a pointer file names (first line, or the `pattern`'s group), resolved against its directory. */
function pointer(file: string, pattern = /^(.+)$/m): string | undefined {
  try {
    const value = pattern.exec(readFileSync(file, "utf8"))?.[1]?.trim();
    return value ? resolve(dirname(file), value) : undefined;
  } catch {
    return undefined;
  }
}

/** `core.worktree` of a submodule's gitdir (git writes it there, relative to the gitdir). */
function coreWorktree(gitdir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(gitdir, "config"), "utf8");
  } catch {
    return undefined;
  }
  let inCore = false;
  let worktree: string | undefined;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line.startsWith("[")) {
      inCore = /^\[\s*core\s*\]/i.test(line);
      continue;
    }
    const value = inCore ? /^worktree\s*=\s*(.*)$/i.exec(line)?.[1] : undefined;
    if (value !== undefined) worktree = value.replace(/^"(.*)"$/, "$1");
  }
  return worktree ? resolve(gitdir, worktree) : undefined;
}

function symlinkError(path: string): SandboxUnavailableError {
  const hint =
    "replace the symlink with the directory or file it points to (or remove it), or run with --sandbox danger-full-access if you trust the task";
  return new SandboxUnavailableError(
    `${path} is a symlink: a sandboxed command could replace it, so hedge cannot keep it read-only and did not run the command; ${hint}`,
    hint,
  );
}

function deepest(path: string, roots: readonly string[]): string | undefined {
  let found: string | undefined;
  for (const root of roots) {
    if (isInside(path, root) && (found === undefined || root.length > found.length)) found = root;
  }
  return found;
}

function byDepth(paths: Iterable<string>): string[] {
  return [...new Set(paths)].sort(
    (a, b) => a.split(sep).length - b.split(sep).length || a.localeCompare(b),
  );
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** `path` with its parent directories resolved (the entry itself may be a symlink). */
function canonicalParent(path: string): string {
  return join(canonical(dirname(path)), relative(dirname(path), path));
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function readdirOrEmpty(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}
