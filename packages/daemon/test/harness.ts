import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { DaemonClient } from "../src/ipc/daemon-client.js";
import { socketPath } from "../src/ipc/paths.js";
import { SqliteLedger, ledgerPath } from "../src/ledger/sqlite-ledger.js";
import type { Run } from "../src/ledger/types.js";

export const HEDGE_BIN = fileURLToPath(new URL("../../cli/dist/hedge.js", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `hedge daemon run` child. */
export interface DaemonProcess {
  child: ChildProcess;
  pid: number;
  /** Its stderr so far (for failure messages). */
  output: () => string;
  exited: Promise<number | null>;
}

/** A temp HEDGE_HOME with the CLI, the daemon and the ledger at hand. */
export interface Home {
  home: string;
  /** A scratch directory for loops' cwd and marker files. */
  work: string;
  env: NodeJS.ProcessEnv;
  hedge(
    args: readonly string[],
    options?: { cwd?: string; env?: NodeJS.ProcessEnv },
  ): Promise<CliResult>;
  startDaemon(options?: { env?: NodeJS.ProcessEnv; args?: string[] }): Promise<DaemonProcess>;
  runs(loopName?: string): Run[];
  cleanup(): Promise<void>;
}

export function runNode(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Polls `probe` until it returns a value (not undefined/false) or `limitMs` passes. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  limitMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function makeHome(config = ""): Promise<Home> {
  const home = mkdtempSync(join(tmpdir(), "hedge-dmn-"));
  const work = mkdtempSync(join(tmpdir(), "hedge-work-"));
  if (config) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(home, "config.toml"), config);
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    HEDGE_HOME: home,
    HOME: home,
    NO_COLOR: "1",
  };
  const daemons: DaemonProcess[] = [];
  const open = (): SqliteLedger => new SqliteLedger(ledgerPath(home));
  return {
    home,
    work,
    env,
    hedge: (args, options = {}) =>
      runNode([HEDGE_BIN, ...args], { cwd: options.cwd ?? work, env: { ...env, ...options.env } }),
    async startDaemon(options = {}) {
      const child = spawn(process.execPath, [HEDGE_BIN, ...(options.args ?? []), "daemon", "run"], {
        cwd: work,
        env: { ...env, ...options.env },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let output = "";
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
      const exited = new Promise<number | null>((resolve) =>
        child.on("exit", (code) => resolve(code)),
      );
      let gone = false;
      void exited.then(() => (gone = true));
      const process_: DaemonProcess = { child, pid: child.pid ?? 0, output: () => output, exited };
      daemons.push(process_);
      await waitFor(`the daemon to answer (${output})`, async () => {
        if (gone) throw new Error(`the daemon exited: ${output}`);
        try {
          (await DaemonClient.connect(socketPath(home), 500)).close();
          return true;
        } catch {
          return false;
        }
      });
      return process_;
    },
    runs(loopName) {
      const ledger = open();
      try {
        const loop = loopName ? ledger.requireLoop(loopName) : undefined;
        return ledger.listRuns({ ...(loop ? { loopId: loop.id } : {}), limit: 100_000 }).reverse();
      } finally {
        ledger.close();
      }
    },
    async cleanup() {
      // A graceful stop ends the runs' process groups; SIGKILL only if it does not exit.
      for (const daemon of daemons) {
        if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) continue;
        daemon.child.kill("SIGTERM");
        const exited = await Promise.race([
          daemon.exited.then(() => true),
          sleep(15_000).then(() => false),
        ]);
        if (!exited) {
          daemon.child.kill("SIGKILL");
          await daemon.exited;
        }
      }
      // Whatever a killed daemon's runs left: processes working in this test's directories.
      for (const pid of processesIn([work, home])) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
      rmSync(home, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Processes whose working directory is inside one of `dirs` (a run's cwd is its loop's). */
export function processesIn(dirs: readonly string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (dirs.some((dir) => cwd === dir || cwd.startsWith(`${dir}/`))) found.push(Number(entry));
    } catch {
      continue;
    }
  }
  return found;
}

/** Members of process group `pgid` that are alive (zombies excluded). */
export function groupMembers(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") found.push(Number(entry));
    } catch {
      continue;
    }
  }
  return found;
}

/** Makes `dir` a git repository with its current files committed (user config given inline). */
export function initRepo(dir: string, options: { branch?: string } = {}): void {
  const git = (...args: string[]): void => {
    execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  };
  git("init", "-q", ...(options.branch ? ["-b", options.branch] : []));
  commitAll(dir, "init");
}

/** Commits everything in `dir`. */
export function commitAll(dir: string, message: string): void {
  execFileSync("git", ["add", "."], { cwd: dir, stdio: "ignore" });
  execFileSync("git", ["-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", message], {
    cwd: dir,
    stdio: "ignore",
  });
}
