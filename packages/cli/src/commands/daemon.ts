import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { HedgeError } from "@hedge/model-spec";
import {
  DaemonClient,
  DaemonDownError,
  callDaemon,
  socketPath,
  startDaemon,
  statusSchema,
} from "@hedge/daemon";
import { loadConfig } from "../config/load.js";
import { hedgeHome, type GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { HEDGE_VERSION } from "../version.js";

/** `[node, hedge.js]`: how the daemon starts hedge itself (adapter, auth exec, start). */
function hedgeCommand(): string[] {
  const script = process.argv[1];
  if (!script) throw new HedgeError("no_script", "cannot tell where hedge is installed");
  return [process.execPath, script];
}

/** `hedge daemon run`: the daemon in the foreground; SIGTERM/SIGINT stop it cleanly. */
export async function runDaemonForeground(globals: GlobalOptions): Promise<void> {
  const home = hedgeHome();
  // The user's config only: a project overlay in whatever directory started the daemon has no say.
  const loaded = loadConfig({ home, cwd: home, overrides: globals.configOverrides });
  const { config } = loaded;
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  const daemon = await startDaemon({
    home,
    version: HEDGE_VERSION,
    hedgeCommand: hedgeCommand(),
    env: process.env,
    maxConcurrentRuns: config.daemon.max_concurrent_runs,
    webhookPort: config.daemon.webhook_port,
    store: config.daemon.store ?? null,
    // Loaded on start: the usage view and run keys need the gateway's code, a loop command not.
    access: (await import("../composition/daemon-access.js")).daemonAccess({ home, loaded }),
    log,
  });
  log(`hedge daemon ${daemon.id} running (pid ${process.pid}, socket ${daemon.socketPath})`);
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping`);
    void daemon.stop("daemon stopped");
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  await daemon.stopped;
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
  log("hedge daemon stopped");
  process.exitCode = EXIT.ok;
}

async function answering(path: string): Promise<boolean> {
  try {
    (await DaemonClient.connect(path, 1000)).close();
    return true;
  } catch {
    return false;
  }
}

/** `hedge daemon start`: `daemon run` detached, its output in `$HEDGE_HOME/logs/daemon.log`. */
export async function runDaemonStart(globals: GlobalOptions): Promise<void> {
  const home = hedgeHome();
  const sock = socketPath(home);
  if (await answering(sock)) {
    const status = statusSchema.parse(await callDaemon(sock, "daemon.status"));
    process.stdout.write(`hedge daemon is already running (pid ${status.pid})\n`);
    return;
  }
  mkdirSync(join(home, "logs"), { recursive: true, mode: 0o700 });
  const logFile = join(home, "logs", "daemon.log");
  const fd = openSync(logFile, "a", 0o600);
  const args = [
    ...hedgeCommand().slice(1),
    ...globals.configOverrides.flatMap((o) => ["-c", o]),
    "daemon",
    "run",
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ["ignore", fd, fd],
    env: process.env,
  });
  closeSync(fd);
  let exited: number | null = null;
  child.once("exit", (code) => (exited = code ?? 1));
  child.unref();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (exited !== null) break;
    if (await answering(sock)) {
      process.stdout.write(`hedge daemon started (pid ${child.pid ?? "?"}; log ${logFile})\n`);
      return;
    }
    await sleep(100);
  }
  throw new HedgeError("daemon_start_failed", "hedge daemon did not start", {
    hint: `see ${logFile}`,
  });
}

/** `hedge daemon stop`: asks the daemon to stop and waits until its socket is gone. */
export async function runDaemonStop(): Promise<void> {
  const sock = socketPath(hedgeHome());
  try {
    await callDaemon(sock, "daemon.stop");
  } catch (error) {
    if (error instanceof DaemonDownError) {
      process.stdout.write("hedge daemon is not running\n");
      return;
    }
    throw error;
  }
  for (let attempt = 0; attempt < 600 && (await answering(sock)); attempt += 1) await sleep(100);
  process.stdout.write("hedge daemon stopped\n");
}

/** `hedge daemon status`: exit 0 when it runs, 1 when it does not. */
export async function runDaemonStatus(options: { json: boolean }): Promise<void> {
  const sock = socketPath(hedgeHome());
  let status;
  try {
    status = statusSchema.parse(await callDaemon(sock, "daemon.status"));
  } catch (error) {
    if (!(error instanceof DaemonDownError)) throw error;
    if (options.json) process.stdout.write(`${JSON.stringify({ running: false })}\n`);
    else process.stdout.write("hedge daemon is not running (start it: hedge daemon start)\n");
    process.exitCode = EXIT.failed;
    return;
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ running: true, ...status })}\n`);
    return;
  }
  const uptime = Math.round((Date.now() - status.startedAtMs) / 1000);
  process.stdout.write(
    `hedge daemon running: pid ${status.pid}, up ${uptime}s, ${status.runningRuns} run(s) running, ${status.activeLoops} active loop(s)\n` +
      `  socket  ${status.socketPath}\n` +
      (status.ledger ? `  ledger  ${status.ledger}\n` : "") +
      (status.webhookUrl ? `  webhook ${status.webhookUrl}/hooks/<loop>\n` : ""),
  );
}
