import { createHash } from "node:crypto";
import { lstat, mkdir, open, readFile, readdir, rmdir, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SandboxUnavailableError } from "./bwrap.js";

/**
 * The empty directories that block the creation of a missing `.git` or `.hedge` while a
 * sandboxed command runs (bubblewrap needs something to mount over). hedge creates them before
 * the command and removes them after, so the user's tree is left as it was.
 *
 * Removing one is only safe when no other sandbox still mounts over it: Linux detaches a mount
 * in another namespace when its mount point is removed, and that sandbox could then create the
 * name after all. Holders are therefore counted: within this process in memory, across hedge
 * processes by a marker file per holding process in a registry under the temp dir, changed only
 * under a lock. Sandboxed commands see the registry read-only. When in doubt (no usable
 * registry, the lock not obtained), a placeholder is left in place: an empty directory, never a
 * lost protection.
 */
export interface PlaceholderLease {
  /** The held paths, all existing now (a name that could not be created is left out). */
  held: string[];
  /** The registry directory, to be bound read-only in the sandbox; undefined when unusable. */
  registry: string | undefined;
  /** Drops this hold; the last holder anywhere removes the placeholders hedge created. */
  release(): Promise<void>;
}

const holders = new Map<string, number>();
const LOCK_ATTEMPTS = 300;
const LOCK_RETRY_MS = 10;
const STALE_UNNAMED_LOCK_MS = 10_000;

/**
 * Holds the protected names at `paths` for one command: registers this process as a holder of
 * each (an existing `.git` or `.hedge` may be another sandbox's placeholder) and creates an empty
 * placeholder directory where one is missing. A name whose parent refuses the creation (a
 * read-only or foreign directory) is skipped: a sandboxed command cannot create it either.
 */
export async function holdPlaceholders(paths: readonly string[]): Promise<PlaceholderLease> {
  const registry = await openRegistry();
  if (paths.length === 0) return { held: [], registry, release: () => Promise.resolve() };
  const held: string[] = [];
  await withLock(registry, async (locked) => {
    try {
      for (const path of paths) {
        const count = holders.get(path) ?? 0;
        if (count > 0) {
          holders.set(path, count + 1);
          held.push(path);
        } else if (await registerAndCreate(path, registry)) {
          holders.set(path, 1);
          held.push(path);
        }
      }
    } catch (error) {
      await releaseAll(held, registry, locked);
      throw error;
    }
  });
  let released = false;
  return {
    held,
    registry,
    release: async () => {
      if (released) return;
      released = true;
      await withLock(registry, (locked) => releaseAll(held, registry, locked));
    },
  };
}

async function releaseAll(
  held: readonly string[],
  registry: string | undefined,
  locked: boolean,
): Promise<void> {
  for (const path of held) await releasePlaceholder(path, registry);
  if (locked && registry !== undefined) await prune(registry);
}

async function registerAndCreate(path: string, registry: string | undefined): Promise<boolean> {
  const entry = registry === undefined ? undefined : entryOf(registry, path);
  if (entry !== undefined) {
    await mkdir(entry, { recursive: true });
    await writeFile(join(entry, String(process.pid)), "");
  }
  try {
    await mkdir(path);
    if (entry !== undefined) await writeFile(join(entry, CREATED), path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      // Existing (the user's, or another sandbox's placeholder): protect whatever it is, unless
      // it became a symlink since the plan.
      if ((await lstat(path)).isSymbolicLink()) {
        throw new SandboxUnavailableError(
          `${path} became a symlink while hedge prepared the sandbox; the command was not run`,
          "run the command again",
        );
      }
      return true;
    }
    if (entry !== undefined) await unlink(join(entry, String(process.pid))).catch(() => undefined);
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") return false;
    throw error;
  }
}

async function releasePlaceholder(path: string, registry: string | undefined): Promise<void> {
  const count = (holders.get(path) ?? 1) - 1;
  if (count > 0) {
    holders.set(path, count);
    return;
  }
  holders.delete(path);
  if (registry !== undefined) {
    await unlink(join(entryOf(registry, path), String(process.pid))).catch(() => undefined);
  }
}

/**
 * Under the lock: every placeholder no living process holds any more is removed (only if still
 * empty: whatever someone put there since stays), with its registry entry. This also cleans up
 * after a hedge that was killed while its command ran.
 */
async function prune(registry: string): Promise<void> {
  for (const hash of await readdir(registry).catch(() => [] as string[])) {
    if (hash === LOCK) continue;
    const entry = join(registry, hash);
    const names = await readdir(entry).catch(() => [] as string[]);
    if (names.some((name) => name !== CREATED && isAlive(Number(name)))) continue;
    if (names.includes(CREATED)) {
      const path = await readFile(join(entry, CREATED), "utf8").catch(() => "");
      if (path !== "") await rmdir(path).catch(() => undefined);
    }
    for (const name of names) await unlink(join(entry, name)).catch(() => undefined);
    await rmdir(entry).catch(() => undefined);
  }
}

/** Marks a placeholder hedge created (rather than found), so the last holder removes it. */
const CREATED = "created";
const LOCK = "lock";

function entryOf(registry: string, path: string): string {
  return join(registry, createHash("sha256").update(path).digest("hex").slice(0, 32));
}

/** The registry directory, created private; undefined if the path is not a directory of ours. */
async function openRegistry(): Promise<string | undefined> {
  const uid = process.getuid?.() ?? 0;
  const registry = join(tmpdir(), `hedge-sandbox-${uid}`);
  await mkdir(registry, { mode: 0o700 }).catch(() => undefined);
  const stats = await lstat(registry).catch(() => undefined);
  const usable = stats?.isDirectory() === true && stats.uid === uid && (stats.mode & 0o077) === 0;
  return usable ? registry : undefined;
}

/** Runs `body` holding the registry's lock; `locked` is false when it could not be taken. */
async function withLock<T>(
  registry: string | undefined,
  body: (locked: boolean) => Promise<T>,
): Promise<T> {
  if (registry === undefined) return body(false);
  const lock = join(registry, LOCK);
  for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt += 1) {
    const handle = await open(lock, "wx").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST") return undefined;
      throw error;
    });
    if (handle !== undefined) {
      try {
        await handle.writeFile(String(process.pid));
        await handle.close();
        return await body(true);
      } finally {
        await unlink(lock).catch(() => undefined);
      }
    }
    // A holder that died inside the lock (the body takes milliseconds) leaves it behind.
    if (await isStale(lock)) await unlink(lock).catch(() => undefined);
    else await sleep(LOCK_RETRY_MS);
  }
  return body(false);
}

async function isStale(lock: string): Promise<boolean> {
  const owner = Number(await readFile(lock, "utf8").catch(() => ""));
  if (owner > 0) return !isAlive(owner);
  // No pid yet: being written now, or its writer died before writing it.
  const stats = await lstat(lock).catch(() => undefined);
  return stats !== undefined && Date.now() - stats.mtimeMs > STALE_UNNAMED_LOCK_MS;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
