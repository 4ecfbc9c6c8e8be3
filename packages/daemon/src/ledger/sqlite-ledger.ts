import { chmodSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { newLoopId, newRunId } from "./ids.js";
import {
  loopFromRecord,
  loopToRecord,
  runFromRecord,
  type LoopRecord,
  type RunRecord,
} from "./rows.js";
import { LEDGER_ADDED_COLUMNS, LEDGER_DDL, LEDGER_VERSION } from "./schema.js";
import type {
  DaemonRow,
  Loop,
  LoopSpec,
  LoopState,
  Run,
  RunEnd,
  RunProcess,
  RunTrigger,
  SlotRow,
} from "./types.js";

/** `$HEDGE_HOME/loops.db`. */
export function ledgerPath(home: string): string {
  return join(home, "loops.db");
}

/**
 * The loops ledger in SQLite (WAL, so the CLI reads and edits while the daemon writes). It is
 * the only record of what ran: no timestamp exists apart from rows, and a slot's row is
 * inserted in the same transaction that moves the loop's cursor past it.
 */
export class SqliteLedger {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      this.db = new Database(path);
      this.db.pragma("journal_mode = WAL");
      // WAL + NORMAL: no fsync per commit (a run writes several rows); a power loss may drop the
      // last commits, never corrupt the file, and a dropped row reads as a run the reaper ends.
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("busy_timeout = 5000");
      this.db.pragma("foreign_keys = ON");
      const version = this.db.pragma("user_version", { simple: true }) as number;
      if (version > LEDGER_VERSION) {
        throw new HedgeError(
          "ledger_too_new",
          `${path} was written by a newer hedge (ledger version ${version})`,
          { hint: "upgrade hedge, or move the file aside to start a new ledger" },
        );
      }
      this.db.exec(LEDGER_DDL);
      for (const [table, column, decl] of LEDGER_ADDED_COLUMNS) {
        const columns = this.db.pragma(`table_info(${table})`) as { name: string }[];
        if (!columns.some((existing) => existing.name === column))
          this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${decl}`);
      }
      this.db.pragma(`user_version = ${LEDGER_VERSION}`);
    } catch (error) {
      if (error instanceof HedgeError) throw error;
      throw new HedgeError(
        "ledger_unreadable",
        `cannot open ${path}: ${(error as Error).message}`,
        {
          hint: "check the file's permissions, or move it aside to start a new ledger",
        },
      );
    }
    chmodSync(path, 0o600);
  }

  close(): void {
    this.db.close();
  }

  /** Compiled statements by SQL text: the daemon runs the same few dozen for every run. */
  private readonly statements = new Map<string, Database.Statement>();

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      // `finalize` builds its SQL from the fields it sets: a handful of shapes, but bounded anyway.
      if (this.statements.size >= 256) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  // ---- loops ------------------------------------------------------------------------------

  /** Adds a loop; its cursor starts at `now`, so nothing before its creation is ever owed. */
  addLoop(spec: LoopSpec, now: number): Loop {
    const loop: Loop = {
      ...spec,
      id: newLoopId(),
      state: "active",
      cursorMs: now,
      createdAtMs: now,
      updatedAtMs: now,
    };
    const record = loopToRecord(loop);
    const columns = Object.keys(record);
    try {
      this.stmt(
        `INSERT INTO loops (${columns.join(",")}) VALUES (${columns.map((c) => `@${c}`).join(",")})`,
      ).run(record);
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") {
        throw new UsageError(`a loop named "${spec.name}" already exists`, {
          hint: `pick another name, or remove it first: hedge loop rm ${spec.name}`,
        });
      }
      throw error;
    }
    return loop;
  }

  /** A loop by name or id (removed loops included), or undefined. */
  findLoop(nameOrId: string): Loop | undefined {
    const row = this.stmt(
      "SELECT * FROM loops WHERE (name = ? OR id = ?) AND state != 'removed'",
    ).get(nameOrId, nameOrId) as LoopRecord | undefined;
    if (row) return loopFromRecord(row);
    const removed = this.stmt("SELECT * FROM loops WHERE id = ?").get(nameOrId) as
      LoopRecord | undefined;
    return removed ? loopFromRecord(removed) : undefined;
  }

  /** A live loop by name or id, or a clear error. */
  requireLoop(nameOrId: string): Loop {
    const loop = this.findLoop(nameOrId);
    if (!loop || loop.state === "removed") {
      throw new UsageError(`no loop named "${nameOrId}"`, {
        hint: "hedge loop list shows the loops",
        code: "loop_not_found",
      });
    }
    return loop;
  }

  listLoops(options: { includeRemoved?: boolean } = {}): Loop[] {
    const rows = this.stmt(
      options.includeRemoved
        ? "SELECT * FROM loops ORDER BY name"
        : "SELECT * FROM loops WHERE state != 'removed' ORDER BY name",
    ).all() as LoopRecord[];
    return rows.map(loopFromRecord);
  }

  activeLoops(): Loop[] {
    return (this.stmt("SELECT * FROM loops WHERE state = 'active'").all() as LoopRecord[]).map(
      loopFromRecord,
    );
  }

  /**
   * Pause, resume or remove. Resuming sets the cursor to `now`: slots that fell while paused
   * are not owed, so a resume never fires a surprise run.
   */
  setState(id: string, state: LoopState, now: number): void {
    const renamed = state === "removed" ? ", name = name || '#' || id" : "";
    this.stmt(
      `UPDATE loops SET state = ?, updated_at_ms = ?${state === "active" ? ", cursor_ms = ?" : ""}${renamed} WHERE id = ?`,
    ).run(...(state === "active" ? [state, now, now, id] : [state, now, id]));
  }

  // ---- slots and runs -----------------------------------------------------------------------

  /**
   * Inserts the rows the tick policy decided and moves the cursor, in one transaction, only if
   * the cursor is still where the caller read it (so two ticks can never both account a slot).
   * Returns false if someone else moved it first.
   */
  materialise(
    loopId: string,
    fromCursorMs: number,
    toCursorMs: number,
    rows: SlotRow[],
    now: number,
  ): boolean {
    const insert = this.stmt(
      `INSERT OR IGNORE INTO runs (id, loop_id, scheduled_for, trigger, status, reason,
         collapsed_until_ms, collapsed_count, queued_at_ms, ended_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const move = this.stmt(
      "UPDATE loops SET cursor_ms = ? WHERE id = ? AND cursor_ms = ? AND state = 'active'",
    );
    return this.db.transaction(() => {
      if (move.run(toCursorMs, loopId, fromCursorMs).changes !== 1) return false;
      for (const row of rows) {
        insert.run(
          newRunId(now),
          loopId,
          row.scheduledFor,
          row.trigger,
          row.status,
          row.reason,
          row.collapsedUntilMs,
          row.collapsedCount,
          now,
          row.status === "skipped" ? now : null,
        );
      }
      return true;
    })();
  }

  /**
   * A run not tied to a slot (manual, watch, commit, webhook, hook) at `now`. A repeated
   * `triggerRef` (the same commit, the same webhook delivery) inserts nothing: undefined.
   */
  insertEventRun(
    loopId: string,
    trigger: RunTrigger,
    triggerRef: string | null,
    now: number,
  ): Run | undefined {
    const insert = this.stmt(
      `INSERT OR IGNORE INTO runs (id, loop_id, scheduled_for, trigger, trigger_ref, status, queued_at_ms)
       VALUES (?, ?, ?, ?, ?, 'queued', ?)`,
    );
    // Two events in one millisecond get neighbouring instants, never the same key.
    for (let at = now; at < now + 1000; at += 1) {
      if (triggerRef !== null) {
        const seen = this.stmt("SELECT 1 FROM runs WHERE loop_id = ? AND trigger_ref = ?").get(
          loopId,
          triggerRef,
        );
        if (seen) return undefined;
      }
      const id = newRunId(now);
      if (insert.run(id, loopId, at, trigger, triggerRef, now).changes === 1)
        return this.getRun(id);
    }
    return undefined;
  }

  getRun(id: string): Run | undefined {
    const row = this.stmt("SELECT * FROM runs WHERE id = ?").get(id) as RunRecord | undefined;
    return row ? runFromRecord(row) : undefined;
  }

  /** Runs, newest slot first; of one loop when `loopId` is given. */
  listRuns(options: { loopId?: string; limit?: number; status?: string } = {}): Run[] {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (options.loopId) {
      where.push("loop_id = ?");
      values.push(options.loopId);
    }
    if (options.status) {
      where.push("status = ?");
      values.push(options.status);
    }
    const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY scheduled_for DESC, id DESC LIMIT ?`;
    const rows = this.stmt(sql).all(...values, options.limit ?? 50) as RunRecord[];
    return rows.map(runFromRecord);
  }

  /** Queued runs, oldest slot first. */
  queuedRuns(): Run[] {
    return (
      this.stmt(
        "SELECT * FROM runs WHERE status = 'queued' ORDER BY scheduled_for, id",
      ).all() as RunRecord[]
    ).map(runFromRecord);
  }

  runningRuns(): Run[] {
    return (this.stmt("SELECT * FROM runs WHERE status = 'running'").all() as RunRecord[]).map(
      runFromRecord,
    );
  }

  /** Marks a queued run skipped (overlap, removed loop, stale); false if it was not queued. */
  skipQueued(id: string, reason: string, now: number): boolean {
    return (
      this.stmt(
        "UPDATE runs SET status = 'skipped', reason = ?, ended_at_ms = ? WHERE id = ? AND status = 'queued'",
      ).run(reason, now, id).changes === 1
    );
  }

  /** Claims a queued run for `daemonId`; only one claimant can win. */
  claim(id: string, daemonId: string, host: string, leaseUntilMs: number, now: number): boolean {
    return (
      this.stmt(
        `UPDATE runs SET status = 'running', daemon_id = ?, host = ?, lease_until_ms = ?,
             heartbeat_at_ms = ?, started_at_ms = ? WHERE id = ? AND status = 'queued'`,
      ).run(daemonId, host, leaseUntilMs, now, now, id).changes === 1
    );
  }

  /** Records the started process (so a later daemon can kill its group). */
  recordProcess(id: string, daemonId: string, proc: RunProcess): void {
    this.stmt(
      `UPDATE runs SET pid = ?, pgid = ?, proc_start_ticks = ?, boot_id = ?, host = ?, log_path = ?,
           worktree_path = ?, started_at_ms = ? WHERE id = ? AND daemon_id = ? AND status = 'running'`,
    ).run(
      proc.pid,
      proc.pgid,
      proc.procStartTicks,
      proc.bootId,
      proc.host,
      proc.logPath,
      proc.worktreePath,
      proc.startedAtMs,
      id,
      daemonId,
    );
  }

  setLogPath(id: string, logPath: string): void {
    this.stmt("UPDATE runs SET log_path = ? WHERE id = ?").run(logPath, id);
  }

  /**
   * Ends a running run. Only the owner's verdict on a still-running row counts; when the reaper
   * got there first (false) its verdict stands.
   */
  finalize(id: string, daemonId: string | null, end: RunEnd): boolean {
    const fields: Record<string, unknown> = {
      status: end.status,
      reason: end.reason,
      ended_at_ms: end.endedAtMs,
      exit_code: end.exitCode,
      signal: end.signal,
      verify_exit_code: end.verifyExitCode,
      outcome: end.outcome,
      input_tokens: end.inputTokens,
      output_tokens: end.outputTokens,
      cost_usd: end.costUsd,
      profile: end.profile,
      profile_reason: end.profileReason,
      diff_files: end.diffFiles,
      diff_insertions: end.diffInsertions,
      diff_deletions: end.diffDeletions,
      worktree_kept:
        end.worktreeKept === undefined || end.worktreeKept === null
          ? undefined
          : end.worktreeKept
            ? 1
            : 0,
    };
    const set = Object.entries(fields).filter(([, value]) => value !== undefined);
    const owner = daemonId === null ? "" : " AND daemon_id = @daemonId";
    const sql = `UPDATE runs SET ${set.map(([key]) => `${key} = @${key}`).join(", ")},
      lease_until_ms = NULL WHERE id = @id AND status = 'running'${owner}`;
    return this.stmt(sql).run({ ...Object.fromEntries(set), id, daemonId }).changes === 1;
  }

  /** Extends the leases of this daemon's running runs and its own heartbeat. */
  heartbeat(daemonId: string, now: number, leaseMs: number): void {
    this.db.transaction(() => {
      this.stmt(
        "UPDATE runs SET heartbeat_at_ms = ?, lease_until_ms = ? WHERE daemon_id = ? AND status = 'running'",
      ).run(now, now + leaseMs, daemonId);
      this.stmt("UPDATE daemons SET heartbeat_at_ms = ? WHERE id = ?").run(now, daemonId);
    })();
  }

  // ---- daemons ------------------------------------------------------------------------------

  registerDaemon(row: DaemonRow): void {
    this.stmt(
      `INSERT INTO daemons (id, host, pid, boot_id, version, started_at_ms, heartbeat_at_ms, stopped_at_ms)
         VALUES (@id, @host, @pid, @bootId, @version, @startedAtMs, @heartbeatAtMs, NULL)`,
    ).run({ ...row });
  }

  stopDaemon(id: string, now: number): void {
    this.stmt("UPDATE daemons SET stopped_at_ms = ? WHERE id = ?").run(now, id);
  }

  getDaemon(id: string): DaemonRow | undefined {
    const row = this.stmt("SELECT * FROM daemons WHERE id = ?").get(id) as
      Record<string, string | number | null> | undefined;
    if (!row) return undefined;
    return {
      id: String(row["id"]),
      host: String(row["host"]),
      pid: Number(row["pid"]),
      bootId: typeof row["boot_id"] === "string" ? row["boot_id"] : null,
      version: String(row["version"]),
      startedAtMs: Number(row["started_at_ms"]),
      heartbeatAtMs: Number(row["heartbeat_at_ms"]),
      stoppedAtMs: typeof row["stopped_at_ms"] === "number" ? row["stopped_at_ms"] : null,
    };
  }
}
