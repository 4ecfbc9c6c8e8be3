import { realpathSync, statSync } from "node:fs";
import { isInside } from "../tools/paths.js";

/**
 * bubblewrap arguments that make each denied path invisible to a sandboxed command: an empty
 * read-only tmpfs over a directory, `/dev/null` over a file. They must come after every other
 * mount, so a denied path inside the workspace, a writable root or `/tmp` is hidden too: deny
 * wins. A workspace inside a denied path is therefore hidden with it (callers refuse to start
 * there; see `findHiddenRoot`).
 *
 * Only paths that exist are masked (there is nothing to read in the others), by their real path
 * (a symlink to the secret then leads to the mask), and only the outermost of nested ones (a
 * mount point cannot be created inside a read-only tmpfs, and there is nothing left to hide).
 */
export function readMaskArgs(denyRead: readonly string[]): string[] {
  const existing = new Map<string, "directory" | "file">();
  for (const path of denyRead) {
    const real = realOrUndefined(path);
    const stats = real === undefined ? undefined : statSync(real, { throwIfNoEntry: false });
    if (real === undefined || stats === undefined) continue;
    existing.set(real, stats.isDirectory() ? "directory" : "file");
  }
  const paths = [...existing.keys()];
  const args: string[] = [];
  for (const [path, kind] of existing) {
    if (paths.some((other) => other !== path && isInside(path, other))) continue;
    if (kind === "directory") args.push("--tmpfs", path, "--remount-ro", path);
    else args.push("--ro-bind", "/dev/null", path);
  }
  return args;
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
