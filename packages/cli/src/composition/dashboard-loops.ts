import { closeSync, existsSync, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import { join, sep } from "node:path";
import Database from "better-sqlite3";
import type { DashboardLoopsSource, LoopRow, LoopsView } from "@hedge/gateway";

/** A daemon whose heartbeat is older than this is taken for dead. */
const DAEMON_STALE_MS = 60_000;
const RUN_ID = /^run_[A-Za-z0-9_-]{1,64}$/;

interface LoopRecord {
  id: string;
  name: string;
  schedule_kind: string;
  cron: string | null;
  every_ms: number | null;
  anchor_ms: number | null;
  at_ms: number | null;
  state: string;
}

interface RunRecord {
  id: string;
  status: string;
  queued_at_ms: number;
  started_at_ms: number | null;
  ended_at_ms: number | null;
  diff_files: number | null;
  diff_insertions: number | null;
  diff_deletions: number | null;
}

/**
 * The Loops panel's source: the daemon's ledger `$HEDGE_HOME/loops.db` (schema version 1 of
 * `@hedge/daemon`), opened read-only for each read, so the gateway never holds a lock the daemon
 * waits on and a ledger created later is found. Log tails come only from paths inside
 * `$HEDGE_HOME/logs/loops` (the ledger's path is not trusted blindly).
 */
export function ledgerLoopsSource(
  home: string,
  now: () => number = Date.now,
): DashboardLoopsSource {
  const path = join(home, "loops.db");
  const withLedger = <T>(read: (db: Database.Database) => T): T | undefined => {
    if (!existsSync(path)) return undefined;
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      db.pragma("busy_timeout = 1000");
      return read(db);
    } finally {
      db.close();
    }
  };
  return {
    read: () => Promise.resolve(withLedger((db) => loopsView(db, now()))),
    logTail: (runId, maxBytes) => {
      if (!RUN_ID.test(runId)) return Promise.resolve(undefined);
      const logPath = withLedger(
        (db) =>
          db.prepare("SELECT log_path FROM runs WHERE id = ?").get(runId) as
            { log_path: string | null } | undefined,
      )?.log_path;
      if (!logPath) return Promise.resolve(undefined);
      return Promise.resolve(tailInside(join(home, "logs", "loops"), logPath, maxBytes));
    },
  };
}

function loopsView(db: Database.Database, now: number): LoopsView {
  const daemon = db
    .prepare(
      "SELECT heartbeat_at_ms, stopped_at_ms FROM daemons ORDER BY heartbeat_at_ms DESC LIMIT 1",
    )
    .get() as { heartbeat_at_ms: number; stopped_at_ms: number | null } | undefined;
  const running =
    daemon !== undefined &&
    daemon.stopped_at_ms === null &&
    now - daemon.heartbeat_at_ms < DAEMON_STALE_MS;
  const loops = db
    .prepare(
      "SELECT id, name, schedule_kind, cron, every_ms, anchor_ms, at_ms, state FROM loops " +
        "WHERE state != 'removed' ORDER BY name",
    )
    .all() as LoopRecord[];
  const lastRun = db.prepare(
    "SELECT id, status, queued_at_ms, started_at_ms, ended_at_ms, diff_files, diff_insertions, " +
      "diff_deletions FROM runs WHERE loop_id = ? AND status != 'queued' " +
      "ORDER BY COALESCE(started_at_ms, queued_at_ms) DESC LIMIT 1",
  );
  return {
    running,
    loops: loops.map((loop): LoopRow => {
      const run = lastRun.get(loop.id) as RunRecord | undefined;
      const next = loop.state === "active" ? nextRun(loop, now) : undefined;
      return {
        name: loop.name,
        schedule: scheduleText(loop),
        state: loop.state,
        ...(next === undefined ? {} : { nextRunAt: next }),
        ...(run
          ? {
              last: {
                runId: run.id,
                status: run.status,
                startedAt: run.started_at_ms ?? run.queued_at_ms,
                ...(run.started_at_ms !== null && run.ended_at_ms !== null
                  ? { durationMs: run.ended_at_ms - run.started_at_ms }
                  : {}),
                ...(run.diff_files === null
                  ? {}
                  : {
                      diffStat: `${run.diff_files} files +${run.diff_insertions ?? 0} -${run.diff_deletions ?? 0}`,
                    }),
              },
            }
          : {}),
      };
    }),
  };
}

/** The next slot of an `every` or `at` loop; cron and event loops are left to the daemon. */
function nextRun(loop: LoopRecord, now: number): number | undefined {
  if (loop.schedule_kind === "every" && loop.every_ms && loop.every_ms > 0) {
    const anchor = loop.anchor_ms ?? 0;
    if (now < anchor) return anchor;
    return anchor + Math.ceil((now - anchor) / loop.every_ms) * loop.every_ms;
  }
  if (loop.schedule_kind === "at" && loop.at_ms !== null && loop.at_ms > now) return loop.at_ms;
  return undefined;
}

function scheduleText(loop: LoopRecord): string {
  switch (loop.schedule_kind) {
    case "every":
      return `every ${formatEvery(loop.every_ms ?? 0)}`;
    case "cron":
      return `cron ${loop.cron ?? "?"}`;
    case "at":
      return loop.at_ms === null ? "once" : `once at ${new Date(loop.at_ms).toISOString()}`;
    default:
      return "on event";
  }
}

function formatEvery(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** The last `maxBytes` of `file`, if it resolves inside `root`; else undefined. */
function tailInside(root: string, file: string, maxBytes: number): string | undefined {
  let real: string;
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  if (!real.startsWith(realRoot + sep)) return undefined;
  const fd = openSync(real, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString("utf8");
  } finally {
    closeSync(fd);
  }
}
