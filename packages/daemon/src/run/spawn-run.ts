import { spawn } from "node:child_process";
import { processStartTicks } from "./proc-identity.js";

/** A started process group and how it ends. */
export interface SpawnedGroup {
  pid: number;
  /** The group id equals the pid: the child leads its own session (setsid). */
  pgid: number;
  procStartTicks: number | null;
  /** Resolves once the leader exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `argv` with no shell, stdin from /dev/null, stdout and stderr to `logFd`, as the leader
 * of a new session and process group (detached: setsid), so the whole tree can be signalled and
 * survives a daemon crash only until the next daemon's reaper finds it. Rejects with the spawn
 * error (ENOENT, EACCES) when nothing started.
 */
export function spawnGroup(
  argv: readonly [string, ...string[]],
  options: { cwd: string; env: Record<string, string>; logFd: number },
): Promise<SpawnedGroup> {
  return new Promise((resolve, reject) => {
    const [program, ...args] = argv;
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      shell: false,
      stdio: ["ignore", options.logFd, options.logFd],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
      child.once("exit", (code, signal) => done({ code, signal }));
    });
    child.once("error", reject);
    child.once("spawn", () => {
      const pid = child.pid;
      if (pid === undefined) {
        reject(new Error("spawn gave no pid"));
        return;
      }
      // The daemon does not wait for the group to keep its event loop alive.
      child.unref();
      resolve({ pid, pgid: pid, procStartTicks: processStartTicks(pid), exited });
    });
  });
}
