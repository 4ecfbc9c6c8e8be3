import { lstat, realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** The roots a tool may write under. */
export interface WriteRoots {
  workspace: string;
  cwd: string;
  writableRoots: readonly string[];
}

/** A path a tool may write, resolved. */
export interface WritablePath {
  /** As the model wrote it. */
  requested: string;
  /** Resolved against `cwd` without following symlinks. */
  lexical: string;
  /** The directory entry itself, with every parent directory resolved (delete/rename this). */
  entry: string;
  /** Where writing lands: `entry` with a final symlink followed (write this). */
  target: string;
  /** For messages and metadata: relative to the workspace, or absolute when in an extra root. */
  display: string;
}

export type PathResolution = { ok: true; path: WritablePath } | { ok: false; message: string };

/**
 * Resolves a path the model wants to write. Only relative paths (against `cwd`) are accepted,
 * and the result must stay inside the workspace or a writable root after resolving every
 * symlink, including those in parents of files that do not exist yet. The check runs when the
 * patch is validated; a symlink swapped in between check and write is not defended against.
 */
export async function resolveWritablePath(
  requested: string,
  roots: WriteRoots,
): Promise<PathResolution> {
  if (requested.trim() === "") return { ok: false, message: "empty path" };
  if (requested.includes("\0")) return { ok: false, message: `${requested}: invalid path` };
  if (isAbsolute(requested)) {
    return {
      ok: false,
      message: `${requested}: absolute paths are not allowed; use a path relative to the workspace`,
    };
  }
  const lexical = resolve(roots.cwd, requested);
  const realRoots = await canonicalRoots(roots);
  const lexicalRoots = [roots.workspace, ...roots.writableRoots].map((root) => resolve(root));
  if (
    !lexicalRoots.some((root) => isInside(lexical, root)) &&
    !realRoots.some((root) => isInside(lexical, root))
  ) {
    return { ok: false, message: `${requested}: resolves outside the workspace` };
  }
  const parent = await resolveExistingPrefix(dirname(lexical));
  if (parent === undefined) {
    return { ok: false, message: `${requested}: a parent directory is a dangling symlink` };
  }
  const entry = join(parent, basename(lexical));
  let target = entry;
  const stats = await lstat(entry).catch(() => undefined);
  if (stats?.isSymbolicLink() === true) {
    const followed = await realpath(entry).catch(() => undefined);
    if (followed === undefined) {
      return {
        ok: false,
        message: `${requested}: is a symlink to a missing target; refusing to write through it`,
      };
    }
    target = followed;
  }
  for (const path of [entry, target]) {
    if (!realRoots.some((root) => isInside(path, root))) {
      return {
        ok: false,
        message: `${requested}: resolves outside the workspace (to ${path}) through a symlink`,
      };
    }
  }
  return {
    ok: true,
    path: {
      requested,
      lexical,
      entry,
      target,
      display: displayPath(entry, realRoots[0] ?? roots.workspace),
    },
  };
}

/** `path` relative to the workspace with `/` separators, or absolute when outside it. */
export function displayPath(path: string, workspace: string): string {
  const rel = relative(workspace, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return path;
  return rel.split(sep).join("/");
}

export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The workspace and the writable roots, symlinks resolved. */
export async function canonicalRoots(roots: WriteRoots): Promise<string[]> {
  const all = [roots.workspace, ...roots.writableRoots];
  return Promise.all(all.map((root) => realpath(root).catch(() => resolve(root))));
}

/**
 * The real path of `path`: symlinks of its longest existing prefix resolved, the rest appended.
 * Undefined when a component is a dangling symlink (where it leads cannot be checked).
 */
export async function resolveExistingPrefix(path: string): Promise<string | undefined> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    const real = await realpath(current).catch(() => undefined);
    if (real !== undefined) return join(real, ...missing.reverse());
    if ((await lstat(current).catch(() => undefined)) !== undefined) return undefined;
    const parent = dirname(current);
    if (parent === current) return path;
    missing.push(basename(current));
    current = parent;
  }
}
