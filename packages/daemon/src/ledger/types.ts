import type { Schedule } from "../schedule/schedule.js";

/** The agents a loop can drive. */
export const ADAPTER_NAMES = ["hedge", "codex", "claude", "gemini", "command"] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];
/** What happens to slots that passed while no daemon ran. */
export type MissedPolicy = "once" | "skip" | "all";
/** What happens to a slot while the loop's previous run is still running. */
export type OverlapPolicy = "skip" | "queue";
export type LoopState = "active" | "paused" | "removed";
export type RunTrigger =
  "schedule" | "catchup" | "manual" | "watch" | "commit" | "webhook" | "hook";
export type RunStatus =
  "queued" | "running" | "succeeded" | "failed" | "timed_out" | "skipped" | "interrupted";
/** Statuses a run never leaves. */
export const FINAL_STATUSES: readonly RunStatus[] = [
  "succeeded",
  "failed",
  "timed_out",
  "skipped",
  "interrupted",
];

/** What starts a loop besides (or instead of) its schedule. */
export type LoopTrigger =
  | { kind: "watch"; glob: string; debounceMs: number }
  | { kind: "commit"; branch: string }
  | { kind: "webhook"; secretSha256: string };

/** Everything `hedge loop add` decides about a loop. */
export interface LoopSpec {
  name: string;
  schedule: Schedule;
  trigger: LoopTrigger | null;
  adapter: AdapterName;
  /** The prompt for agent adapters; null for `command`. */
  prompt: string | null;
  /** The argv for `command`; null for agent adapters. */
  argv: string[] | null;
  cwd: string;
  worktree: boolean;
  missed: MissedPolicy;
  missedMaxAgeMs: number;
  overlap: OverlapPolicy;
  timeoutMs: number;
  budgetUsd: number | null;
  maxTurns: number | null;
  profile: string | null;
  /** `--via-gateway`: the vendor CLI calls hedge's gateway with a per-run, models-only key. */
  viaGateway: boolean;
  verifyArgv: string[] | null;
  /** Extra environment variable names let through to the run. */
  envNames: string[];
  jitterMs: number;
  expiresAtMs: number | null;
}

/** A loop as stored. */
export interface Loop extends LoopSpec {
  id: string;
  state: LoopState;
  /** Every slot at or before this instant has a row (or was superseded by the policy). */
  cursorMs: number;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A row to insert for a slot (the tick policy's output). */
export interface SlotRow {
  scheduledFor: number;
  trigger: RunTrigger;
  status: "queued" | "skipped";
  reason: string | null;
  collapsedUntilMs: number | null;
  collapsedCount: number | null;
}

/** One run of a loop, as stored. */
export interface Run {
  id: string;
  loopId: string;
  scheduledFor: number;
  trigger: RunTrigger;
  triggerRef: string | null;
  status: RunStatus;
  reason: string | null;
  collapsedUntilMs: number | null;
  collapsedCount: number | null;
  outcome: "changed" | "no_changes" | null;
  queuedAtMs: number;
  startedAtMs: number | null;
  endedAtMs: number | null;
  exitCode: number | null;
  signal: string | null;
  verifyExitCode: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** The profile the agent ran under (explicit or chosen by headroom); null: the CLI's own login. */
  profile: string | null;
  /** Why: `--profile`, the headroom choice, no profile for the vendor, or the gateway's routing. */
  profileReason: string | null;
  diffFiles: number | null;
  diffInsertions: number | null;
  diffDeletions: number | null;
  worktreePath: string | null;
  worktreeKept: boolean | null;
  logPath: string | null;
  daemonId: string | null;
  host: string | null;
  pid: number | null;
  pgid: number | null;
  procStartTicks: number | null;
  bootId: string | null;
  leaseUntilMs: number | null;
  heartbeatAtMs: number | null;
}

/** How a run ended, as the executor or the reaper saw it. */
export interface RunEnd {
  status: "succeeded" | "failed" | "timed_out" | "interrupted";
  reason: string | null;
  endedAtMs: number;
  exitCode?: number | null;
  signal?: string | null;
  verifyExitCode?: number | null;
  outcome?: "changed" | "no_changes" | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  costUsd?: number | null;
  profile?: string | null;
  profileReason?: string | null;
  diffFiles?: number | null;
  diffInsertions?: number | null;
  diffDeletions?: number | null;
  worktreeKept?: boolean | null;
}

/** The process a claimed run started, recorded so a later daemon can find and kill it. */
export interface RunProcess {
  pid: number;
  pgid: number;
  procStartTicks: number | null;
  bootId: string | null;
  host: string;
  logPath: string;
  worktreePath: string | null;
  startedAtMs: number;
}

/** One daemon start, for `daemon status` and for telling a dead owner from a live one. */
export interface DaemonRow {
  id: string;
  host: string;
  pid: number;
  bootId: string | null;
  version: string;
  startedAtMs: number;
  heartbeatAtMs: number;
  stoppedAtMs: number | null;
}
