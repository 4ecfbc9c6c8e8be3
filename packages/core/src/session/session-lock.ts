import { randomUUID } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { HedgeError } from "@hedge/model-spec";

/** Who holds a session: enough to tell whether that process still runs. */
interface Holder {
  pid: number;
  host: string;
  /** The holder's start time as the kernel counts it (Linux), so a reused pid is not it. */
  started?: string;
}

/**
 * One writer per session file. Two processes appending to one session interleave their turns
 * into a conversation neither had, so the second is refused. The lock is a file beside the
 * session naming its holder, hard-linked into place whole (so nobody ever reads it half
 * written, and only one link can win); it dies with its process: a holder that no
 * longer runs (killed, crashed, its pid reused by another program) is taken over, never waited
 * for. (`@hedge/auth`'s profile lock waits instead: its holders finish within milliseconds.)
 */
export class SessionLock {
  private released = false;
  private readonly onExit = (): void => this.release();

  private constructor(
    readonly path: string,
    private readonly content: string,
  ) {
    // A process that exits without closing its session (an error, process.exit) still frees it.
    process.once("exit", this.onExit);
  }

  /** Takes the lock of the session at `sessionPath`, or throws `session_busy` naming the holder. */
  static acquire(sessionPath: string, sessionId: string): SessionLock {
    const path = `${sessionPath}.lock`;
    const content = `${JSON.stringify(self())}\n`;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (tryCreate(path, content)) return new SessionLock(path, content);
      const raw = readRaw(path);
      if (raw === undefined) continue; // released meanwhile
      const holder = parseHolder(raw);
      if (holder && runs(holder)) {
        throw new HedgeError(
          "session_busy",
          `session ${sessionId} is in use by another hedge process (pid ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`})`,
          {
            hint: "wait for that run to finish (or stop it), then resume; a new session needs no wait: hedge exec PROMPT",
          },
        );
      }
      // The holder is gone: remove its lock, unless another process has just replaced it.
      if (readRaw(path) === raw) rmSync(path, { force: true });
    }
    throw new HedgeError("session_busy", `session ${sessionId}: could not take its lock ${path}`, {
      hint: "another hedge process keeps taking it; retry when it has finished",
    });
  }

  /** Frees the session for the next run; only the lock this process wrote is removed. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.off("exit", this.onExit);
    if (readRaw(this.path) === this.content) rmSync(this.path, { force: true });
  }
}

function self(): Holder {
  const started = startTime(process.pid);
  return { pid: process.pid, host: hostname(), ...(started ? { started } : {}) };
}

/** Puts `content` at `path` unless something is there: written aside, then linked (atomic). */
function tryCreate(path: string, content: string): boolean {
  const temp = `${path}.${randomUUID()}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function parseHolder(raw: string): Holder | undefined {
  try {
    const value = JSON.parse(raw) as Partial<Holder>;
    if (!Number.isInteger(value.pid) || typeof value.host !== "string") return undefined;
    return value as Holder;
  } catch {
    // Locks are linked into place whole, so this is not one of ours: nobody holds it.
    return undefined;
  }
}

/** Whether the holder still runs. On another host nobody can tell: it is assumed to. */
function runs(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const stat = procStat(holder.pid);
  // A zombie (exited, not yet reaped by its parent) still answers kill(pid, 0), but it holds
  // nothing: its lock is as dead as its process.
  if (stat?.[0] === "Z" || stat?.[0] === "X") return false;
  // The pid runs; it is the holder only if it started when the holder did (where known).
  const started = stat?.[19];
  return holder.started === undefined || started === undefined || started === holder.started;
}

/** A process's start time in clock ticks since boot (`/proc/PID/stat` field 22), on Linux. */
function startTime(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/** `/proc/PID/stat`'s fields from the state on (field 3), on Linux; undefined elsewhere. */
function procStat(pid: number): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may itself hold spaces.
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}
