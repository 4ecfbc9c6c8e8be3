import type { Schedule } from "../schedule/schedule.js";
import type { Loop, LoopTrigger, Run } from "./types.js";

/** A loops row as better-sqlite3 returns it. */
export interface LoopRecord {
  id: string;
  name: string;
  schedule_kind: Schedule["kind"];
  cron: string | null;
  tz: string | null;
  every_ms: number | null;
  anchor_ms: number | null;
  at_ms: number | null;
  trigger_json: string | null;
  adapter: Loop["adapter"];
  prompt: string | null;
  argv_json: string | null;
  cwd: string;
  worktree: number;
  missed: Loop["missed"];
  missed_max_age_ms: number;
  overlap: Loop["overlap"];
  timeout_ms: number;
  budget_usd: number | null;
  max_turns: number | null;
  profile: string | null;
  via_gateway: number;
  verify_argv_json: string | null;
  env_names_json: string | null;
  jitter_ms: number;
  expires_at_ms: number | null;
  state: Loop["state"];
  cursor_ms: number;
  created_at_ms: number;
  updated_at_ms: number;
}

function scheduleOf(row: LoopRecord): Schedule {
  switch (row.schedule_kind) {
    case "cron":
      return { kind: "cron", expr: row.cron ?? "", tz: row.tz ?? "UTC" };
    case "every":
      return { kind: "every", periodMs: row.every_ms ?? 1, anchorMs: row.anchor_ms ?? 0 };
    case "at":
      return { kind: "at", atMs: row.at_ms ?? 0 };
    case "event":
      return { kind: "event" };
  }
}

export function loopFromRecord(row: LoopRecord): Loop {
  return {
    id: row.id,
    name: row.name,
    schedule: scheduleOf(row),
    trigger: row.trigger_json ? (JSON.parse(row.trigger_json) as LoopTrigger) : null,
    adapter: row.adapter,
    prompt: row.prompt,
    argv: row.argv_json ? (JSON.parse(row.argv_json) as string[]) : null,
    cwd: row.cwd,
    worktree: row.worktree === 1,
    missed: row.missed,
    missedMaxAgeMs: row.missed_max_age_ms,
    overlap: row.overlap,
    timeoutMs: row.timeout_ms,
    budgetUsd: row.budget_usd,
    maxTurns: row.max_turns,
    profile: row.profile,
    viaGateway: row.via_gateway === 1,
    verifyArgv: row.verify_argv_json ? (JSON.parse(row.verify_argv_json) as string[]) : null,
    envNames: row.env_names_json ? (JSON.parse(row.env_names_json) as string[]) : [],
    jitterMs: row.jitter_ms,
    expiresAtMs: row.expires_at_ms,
    state: row.state,
    cursorMs: row.cursor_ms,
    createdAtMs: row.created_at_ms,
    updatedAtMs: row.updated_at_ms,
  };
}

/** Column values of a loop for INSERT. */
export function loopToRecord(loop: Loop): LoopRecord {
  const s = loop.schedule;
  return {
    id: loop.id,
    name: loop.name,
    schedule_kind: s.kind,
    cron: s.kind === "cron" ? s.expr : null,
    tz: s.kind === "cron" ? s.tz : null,
    every_ms: s.kind === "every" ? s.periodMs : null,
    anchor_ms: s.kind === "every" ? s.anchorMs : null,
    at_ms: s.kind === "at" ? s.atMs : null,
    trigger_json: loop.trigger ? JSON.stringify(loop.trigger) : null,
    adapter: loop.adapter,
    prompt: loop.prompt,
    argv_json: loop.argv ? JSON.stringify(loop.argv) : null,
    cwd: loop.cwd,
    worktree: loop.worktree ? 1 : 0,
    missed: loop.missed,
    missed_max_age_ms: loop.missedMaxAgeMs,
    overlap: loop.overlap,
    timeout_ms: loop.timeoutMs,
    budget_usd: loop.budgetUsd,
    max_turns: loop.maxTurns,
    profile: loop.profile,
    via_gateway: loop.viaGateway ? 1 : 0,
    verify_argv_json: loop.verifyArgv ? JSON.stringify(loop.verifyArgv) : null,
    env_names_json: JSON.stringify(loop.envNames),
    jitter_ms: loop.jitterMs,
    expires_at_ms: loop.expiresAtMs,
    state: loop.state,
    cursor_ms: loop.cursorMs,
    created_at_ms: loop.createdAtMs,
    updated_at_ms: loop.updatedAtMs,
  };
}

/** A runs row as better-sqlite3 returns it. */
export type RunRecord = Record<string, string | number | null>;

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);

export function runFromRecord(row: RunRecord): Run {
  return {
    id: String(row["id"]),
    loopId: String(row["loop_id"]),
    scheduledFor: Number(row["scheduled_for"]),
    trigger: row["trigger"] as Run["trigger"],
    triggerRef: str(row["trigger_ref"]),
    status: row["status"] as Run["status"],
    reason: str(row["reason"]),
    collapsedUntilMs: num(row["collapsed_until_ms"]),
    collapsedCount: num(row["collapsed_count"]),
    outcome: str(row["outcome"]) as Run["outcome"],
    queuedAtMs: Number(row["queued_at_ms"]),
    startedAtMs: num(row["started_at_ms"]),
    endedAtMs: num(row["ended_at_ms"]),
    exitCode: num(row["exit_code"]),
    signal: str(row["signal"]),
    verifyExitCode: num(row["verify_exit_code"]),
    inputTokens: num(row["input_tokens"]),
    outputTokens: num(row["output_tokens"]),
    costUsd: num(row["cost_usd"]),
    profile: str(row["profile"]),
    profileReason: str(row["profile_reason"]),
    diffFiles: num(row["diff_files"]),
    diffInsertions: num(row["diff_insertions"]),
    diffDeletions: num(row["diff_deletions"]),
    worktreePath: str(row["worktree_path"]),
    worktreeKept: row["worktree_kept"] === null ? null : row["worktree_kept"] === 1,
    logPath: str(row["log_path"]),
    daemonId: str(row["daemon_id"]),
    host: str(row["host"]),
    pid: num(row["pid"]),
    pgid: num(row["pgid"]),
    procStartTicks: num(row["proc_start_ticks"]),
    bootId: str(row["boot_id"]),
    leaseUntilMs: num(row["lease_until_ms"]),
    heartbeatAtMs: num(row["heartbeat_at_ms"]),
  };
}
