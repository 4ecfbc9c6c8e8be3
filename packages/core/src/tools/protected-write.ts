import { stat } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { protectedNameOf } from "../sandbox/protected-names.js";
import { canonicalRoots, isInside, type WritablePath, type WriteRoots } from "./paths.js";

/**
 * Why a sandboxed tool may not write `candidate` (from `resolveWritablePath`), or undefined. Refused, at any depth below the
 * writable root: anything inside a `.git` directory or a `.git` file (a worktree's or
 * submodule's pointer), anything inside a directory git would use as a repository (a worktree's
 * gitdir, a `--separate-git-dir`, a bare repository: they need not be called `.git`), and
 * anything inside `.hedge`. Names compare as git compares them on case-insensitive filesystems;
 * the lexical path, the resolved entry and the symlink target are all checked, so a symlink
 * `foo -> .git` or a parent symlink into a git directory does not get around it.
 */
export async function protectedWriteReason(
  candidate: WritablePath,
  roots: WriteRoots,
): Promise<string | undefined> {
  const realRoots = await canonicalRoots(roots);
  const lexicalRoots = [roots.workspace, ...roots.writableRoots].map((root) => resolve(root));
  const forms: Array<[string, readonly string[]]> = [
    [candidate.lexical, [...lexicalRoots, ...realRoots]],
    [candidate.entry, realRoots],
    [candidate.target, realRoots],
  ];
  for (const [path, roots] of forms) {
    const root = containingRoot(path, roots);
    if (root === undefined) continue;
    for (const component of relative(root, path).split(sep)) {
      const name = protectedNameOf(component);
      if (name === ".git") return `${candidate.requested}: ${GIT_REASON}`;
      if (name === ".hedge") return `${candidate.requested}: ${HEDGE_REASON}`;
    }
  }
  for (const path of new Set([candidate.entry, candidate.target])) {
    const root = containingRoot(path, realRoots);
    if (root === undefined) continue;
    for (let directory = dirname(path); isInside(directory, root); directory = dirname(directory)) {
      if (await isGitDirectory(directory)) {
        return `${candidate.requested}: is inside a git directory (${directory}); ${GIT_REASON}`;
      }
      if (directory === root) break;
    }
  }
  return undefined;
}

const GIT_REASON =
  "git's own data (config, hooks, history) cannot be changed by tools in a sandboxed session; change the working tree instead, or ask the user";
const HEDGE_REASON =
  "hedge's project config (.hedge) cannot be created or changed by tools in a sandboxed session; ask the user to edit it";

/** The deepest root holding `path`. */
function containingRoot(path: string, roots: readonly string[]): string | undefined {
  let found: string | undefined;
  for (const root of roots) {
    if (isInside(path, root) && (found === undefined || root.length > found.length)) found = root;
  }
  return found;
}

/**
 * Whether git would take `directory` for a repository: a `HEAD` file and an object store of its
 * own (`objects/`) or through `commondir` (a linked worktree's gitdir).
 */
async function isGitDirectory(directory: string): Promise<boolean> {
  const head = await stat(`${directory}${sep}HEAD`).catch(() => undefined);
  if (head?.isFile() !== true) return false;
  const [objects, commondir] = await Promise.all([
    stat(`${directory}${sep}objects`).catch(() => undefined),
    stat(`${directory}${sep}commondir`).catch(() => undefined),
  ]);
  return objects?.isDirectory() === true || commondir?.isFile() === true;
}
