import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { HedgeError } from "@hedge/model-spec";

export interface LockOptions {
  /** How long to wait for another process to finish, in ms. */
  timeoutMs?: number;
  /** A lock older than this is taken over even when its holder seems alive, in ms. */
  staleMs?: number;
}

/**
 * Runs `work` while holding `lockPath`, a lock file created with O_EXCL that records the holder's
 * pid and start time. A lock whose holder is gone (or older than `staleMs`) is taken over, so a
 * crashed process never wedges every later command. No dependency: the one maintained library
 * for this (proper-lockfile) brings three more and an mtime-refresh timer we do not need for
 * critical sections of milliseconds.
 */
export async function withFileLock<T>(
  lockPath: string,
  work: () => Promise<T> | T,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 30_000;
  mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  for (;;) {
    if (tryAcquire(lockPath)) break;
    const holder = readHolder(lockPath);
    if (holder === undefined || !alive(holder.pid) || Date.now() - holder.since > staleMs) {
      // Remove only the lock we judged stale: another process may have replaced it meanwhile.
      if (readRaw(lockPath) === holder?.raw) rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new HedgeError("lock_timeout", `${lockPath} is held by process ${holder.pid}`, {
        hint: "another hedge command is changing profiles; retry when it has finished",
      });
    }
    await sleep(delay + Math.floor(Math.random() * delay));
    delay = Math.min(delay * 2, 200);
  }
  try {
    return await work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function tryAcquire(lockPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid} ${Date.now()}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readRaw(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, "utf8");
  } catch {
    return undefined;
  }
}

function readHolder(lockPath: string): { pid: number; since: number; raw: string } | undefined {
  const raw = readRaw(lockPath);
  if (raw === undefined) return undefined;
  const [pid, since] = raw.trim().split(" ").map(Number);
  // A lock caught between create and write is empty: held, and as old as the file.
  if (raw === "") return { pid: process.pid, since: mtimeOf(lockPath), raw };
  if (!Number.isInteger(pid) || !Number.isFinite(since)) return undefined;
  return { pid: pid as number, since: since as number, raw };
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
