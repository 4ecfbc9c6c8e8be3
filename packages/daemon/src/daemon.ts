import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { hostname } from "node:os";
import { UsageError } from "@hedge/model-spec";
import type { AgentAccess } from "./adapters/agent-access.js";
import { newDaemonId } from "./ledger/ids.js";
import type { Ledger } from "./ledger/ledger.js";
import { openLedger } from "./ledger/open-ledger.js";
import type { RedisLedger } from "./ledger/redis-ledger.js";
import { infoPath, lockPath, socketPath } from "./ipc/paths.js";
import {
  loopRunParams,
  runCancelParams,
  type DaemonRequest,
  type DaemonStatus,
} from "./ipc/protocol.js";
import { listenSocket } from "./ipc/socket-server.js";
import { bootId } from "./run/proc-identity.js";
import { RunExecutor } from "./run/run-executor.js";
import { pruneWorktrees } from "./run/worktree.js";
import { BullDispatch } from "./tick/bull-dispatch.js";
import { reapOrphans, settleStaleQueue } from "./tick/reaper.js";
import { Scheduler } from "./tick/scheduler.js";
import { Wakeup } from "./tick/wakeup.js";
import { TriggerSet } from "./triggers/trigger-set.js";
import { startWebhookServer, type WebhookServer } from "./triggers/webhook.js";

/** How a daemon is started (the CLI's `daemon run` fills this from flags and config). */
export interface DaemonOptions {
  home: string;
  version: string;
  /** How to start hedge itself, for the hedge adapter and `hedge auth exec`. */
  hedgeCommand: readonly string[];
  env: NodeJS.ProcessEnv;
  maxConcurrentRuns: number;
  /** Loopback port for webhook triggers; 0 picks a free one, null disables them. */
  webhookPort: number | null;
  log: (line: string) => void;
  /** `daemon.store`: a `redis://` URL shares the ledger with other daemons; absent, SQLite. */
  store?: string | null;
  /** hedge's usage view and gateway run keys (the CLI's composition root provides them). */
  access?: AgentAccess;
  /** Test and benchmark knobs; defaults are the design's. */
  heartbeatMs?: number;
  leaseMs?: number;
  killGraceMs?: number;
}

/** A running daemon. */
export interface DaemonHandle {
  readonly id: string;
  readonly socketPath: string;
  /** Resolves when the daemon has stopped (by `stop` or `daemon.stop`). */
  readonly stopped: Promise<void>;
  stop(reason?: string): Promise<void>;
}

const TICK_CAP_MS = 1000;
/** The shortest time between two passes of the loop. */
const MIN_PASS_MS = 20;

const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The home holds keys and the socket: it must be ours alone. */
function secureHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const mode = statSync(home).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(home, 0o700);
}

/**
 * Starts the loops daemon: one per home. It reaps what a previous daemon left, then ticks
 * (materialise slots, dispatch), heartbeats its runs' leases, and answers the CLI on its socket.
 */
export async function startDaemon(options: DaemonOptions): Promise<DaemonHandle> {
  const { home, log } = options;
  secureHome(home);
  const heartbeatMs = options.heartbeatMs ?? 5000;
  const leaseMs = options.leaseMs ?? 15_000;
  const killGraceMs = options.killGraceMs ?? 10_000;
  const id = newDaemonId();
  const host = hostname();
  const boot = bootId();
  const startedAtMs = Date.now();
  const sock = socketPath(home, options.env);
  const ledger: Ledger = await openLedger(home, options.store);
  /** Runs claimed but not yet started (a shared ledger's claim and start are two steps). */
  const claiming = new Set<string>();

  const wakeup = new Wakeup();
  let running = true;
  let loopsChanged = true;
  const nudge = (): void => wakeup.nudge();
  const executor = new RunExecutor({
    ledger,
    home,
    daemonId: id,
    hedgeCommand: options.hedgeCommand,
    ...(options.access ? { access: options.access } : {}),
    env: options.env,
    killGraceMs,
    now: Date.now,
    onEnded: nudge,
    log,
  });
  const scheduler = new Scheduler({
    ledger,
    start: (run, loop) => void executor.start(run, loop),
    claim: (run) => ledger.claim(run.id, id, host, Date.now() + leaseMs, Date.now()),
    maxConcurrentRuns: options.maxConcurrentRuns,
    graceMs: 2 * TICK_CAP_MS,
    log,
  });
  const reaperDeps = {
    ledger,
    daemonId: id,
    host,
    bootId: boot,
    killGraceMs,
    isTracked: (runId: string) => executor.has(runId) || claiming.has(runId),
    log,
  };

  // What a previous daemon left: its runs, its queue, its run keys, its worktrees. A shared
  // ledger's queue and run keys are the live daemons' too: they are settled only when no other
  // daemon heartbeats.
  try {
    await reapOrphans(reaperDeps, Date.now());
    if (!ledger.shared || (await ledger.liveDaemons(id, Date.now(), leaseMs)).length === 0) {
      await settleStaleQueue(ledger, startedAtMs, Date.now());
      // A daemon that died mid-run left its runs' gateway keys: none of them is in use now.
      await options.access
        ?.sweepRunKeys()
        .catch((error: unknown) => log(`run keys: ${String(error)}`));
    }
    for (const cwd of new Set(
      (await ledger.listLoops()).filter((loop) => loop.worktree).map((loop) => loop.cwd),
    )) {
      await pruneWorktrees(cwd);
    }
  } catch (error) {
    await ledger.close();
    throw error;
  }

  const triggers = new TriggerSet({
    fire: (loopId, trigger, ref) => {
      void ledger
        .insertEventRun(loopId, trigger, ref, Date.now())
        .then((run) => run && nudge())
        .catch((error: unknown) => log(`trigger failed: ${(error as Error).message}`));
    },
    log,
  });
  let webhook: WebhookServer | null = null;
  let server: Server | null = null;
  let stopping: Promise<void> | null = null;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));

  const status = async (): Promise<DaemonStatus> => ({
    daemonId: id,
    pid: process.pid,
    startedAtMs,
    version: options.version,
    runningRuns: executor.size,
    activeLoops: (await ledger.activeLoops()).length,
    socketPath: sock,
    webhookUrl: webhook ? webhook.url : null,
    ledger: ledger.shared ? `${ledger.where} (shared)` : ledger.where,
  });

  const handle = (request: DaemonRequest): Promise<unknown> => answer(request);
  const answer = async (request: DaemonRequest): Promise<unknown> => {
    switch (request.method) {
      case "daemon.status":
        return status();
      case "daemon.stop":
        setImmediate(() => void stop("daemon stopped"));
        return { stopping: true };
      case "loops.changed":
        triggers.sync(await ledger.activeLoops());
        loopsChanged = true;
        nudge();
        return { ok: true };
      case "loop.run": {
        const params = loopRunParams.safeParse(request.params);
        if (!params.success) throw new UsageError("loop.run needs a loop name");
        const loop = await ledger.requireLoop(params.data.name);
        const run = await ledger.insertEventRun(loop.id, "manual", null, Date.now());
        nudge();
        return { runId: run?.id ?? null };
      }
      case "run.cancel": {
        const params = runCancelParams.safeParse(request.params);
        if (!params.success) throw new UsageError("run.cancel needs a run id");
        return { cancelled: executor.stop(params.data.runId, "interrupted", "cancelled") };
      }
    }
  };

  try {
    server = await listenSocket(
      sock,
      lockPath(home),
      handle,
      () => "another daemon answers on its socket",
    );
  } catch (error) {
    await ledger.close();
    throw error;
  }
  await ledger.registerDaemon({
    id,
    host,
    pid: process.pid,
    bootId: boot,
    version: options.version,
    startedAtMs,
    heartbeatAtMs: startedAtMs,
    stoppedAtMs: null,
  });
  if (options.webhookPort !== null) {
    webhook = await startWebhookServer({
      port: options.webhookPort,
      findLoop: (name) => ledger.findLoop(name),
      fire: async (loopId, ref) =>
        (await ledger.insertEventRun(loopId, "webhook", ref, Date.now())) !== undefined,
      nudge,
    });
  }
  writeFileSync(
    infoPath(home),
    `${JSON.stringify({ pid: process.pid, daemonId: id, socket: sock, webhookUrl: webhook?.url ?? null, startedAtMs, version: options.version })}\n`,
    { mode: 0o600 },
  );
  triggers.sync(await ledger.activeLoops());
  // A shared ledger's slots are delivered through BullMQ (one job per slot, one worker gets it).
  const bull = ledger.shared
    ? await BullDispatch.start({
        url: (ledger as RedisLedger).url,
        ledger: ledger as RedisLedger,
        daemonId: id,
        host,
        leaseMs,
        concurrency: options.maxConcurrentRuns,
        start: (run, loop) => executor.start(run, loop),
        claiming,
        log,
      })
    : null;

  // The loop: materialise slots when one is due (at most 1 s apart, or when loops changed), and
  // dispatch after every wake. Wakes (run ends, socket commands) are coalesced: one pass per
  // MIN_PASS_MS at most, so a burst of run ends is one dispatch, not one each.
  const mainLoop = (async () => {
    let nextTickAt = 0;
    while (running) {
      const started = Date.now();
      try {
        if (loopsChanged || started >= nextTickAt) {
          loopsChanged = false;
          const next = await scheduler.tick(started);
          nextTickAt = Math.min(started + TICK_CAP_MS, next ?? Infinity);
        }
        await (bull ?? scheduler).dispatch(Date.now());
      } catch (error) {
        log(`tick failed: ${(error as Error).message}`);
      }
      const spent = Date.now() - started;
      await sleepMs(Math.max(MIN_PASS_MS - spent, 0));
      // Nudges that came during this pass or the pause end the wait at once (never lost).
      if (running) await wakeup.sleep(Math.max(0, nextTickAt - Date.now()));
    }
  })();
  const heartbeat = setInterval(() => {
    void ledger
      .heartbeat(id, Date.now(), leaseMs)
      .then(() => reapOrphans(reaperDeps, Date.now()))
      .catch((error: unknown) => log(`heartbeat failed: ${(error as Error).message}`));
  }, heartbeatMs);

  async function stop(reason = "daemon stopped"): Promise<void> {
    stopping ??= (async () => {
      running = false;
      nudge();
      clearInterval(heartbeat);
      triggers.close();
      await mainLoop;
      await bull?.pause();
      await executor.stopAll(reason);
      await bull?.close();
      await webhook?.close();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      rmSync(sock, { force: true });
      rmSync(infoPath(home), { force: true });
      await ledger.stopDaemon(id, Date.now()).catch(() => undefined);
      await ledger.close();
      resolveStopped();
    })();
    return stopping;
  }

  return { id, socketPath: sock, stopped, stop };
}
