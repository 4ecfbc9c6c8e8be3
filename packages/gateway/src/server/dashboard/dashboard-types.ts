// The JSON the dashboard API and its event stream carry. Plain types with no imports: the
// browser code (packages/gateway/dashboard) compiles against this same file, so the page and
// the server cannot drift apart. Times are epoch milliseconds.

/** One rate-limit window of a profile. */
export interface FleetWindow {
  name: string;
  /** Share left, 0..1. */
  left: number;
  resetAt?: number;
  stale: boolean;
}

/** One profile of the fleet as the Fleet panel shows it. */
export interface FleetProfile {
  profile: string;
  provider: string;
  /** Share left in the tightest fresh window (1 when nothing is known). */
  left: number;
  windows: FleetWindow[];
  /** `invalid`: a credential or permission mark; `cooldown`: a rate limit or quota in force. */
  state: "active" | "ready" | "cooldown" | "invalid";
  cooldown?: { kind: string; until: number; reason: string };
  /** The server runs with this profile pinned (`--profile` / HEDGE_PROFILE). */
  pinned: boolean;
  /** The profile its pool would switch to next. */
  next: boolean;
}

/** One route (provider x credential) with its breaker and recent traffic. */
export interface RouteRow {
  route: string;
  breaker: "closed" | "open" | "half_open";
  /** What opened the breaker, or the cooldown's reason. */
  cause?: string;
  /** When the breaker lets a probe through, or the cooldown ends. */
  until?: number;
  cooldown?: { kind: string; until: number; reason: string };
  /** Attempts and failed attempts over the last 5 minutes. */
  calls: number;
  failures: number;
  /** p50 / p99 attempt latency (ms) per minute, oldest first (null: no attempt that minute). */
  p50: (number | null)[];
  p99: (number | null)[];
}

/** One routed request: where it went and why. */
export interface Decision {
  requestId: string;
  at: number;
  model: string;
  role?: string;
  provider?: string;
  profile?: string;
  /** The route that answered (or was tried last). */
  route?: string;
  outcome: string;
  /** One sentence: where it went, after what, and what was left out. */
  reason: string;
  attempts: {
    route: string;
    model?: string;
    outcome: string;
    status?: number;
    latencyMs?: number;
  }[];
  excluded: { route: string; reason: string }[];
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
}

/** Totals of one key (a role, model or profile) over a period. */
export interface SpendRow {
  key: string;
  inputTokens: number;
  outputTokens: number;
  usd: number;
  calls: number;
}

export type SpendDimension = "role" | "model" | "profile";

/** Spend today and over the last 7 days (today included), by role, model and profile. */
export interface Spend {
  today: Record<SpendDimension, SpendRow[]>;
  week: Record<SpendDimension, SpendRow[]>;
  /** Per day (UTC `yyyy-mm-dd`), oldest first, 7 entries. */
  days: { day: string; usd: number; inputTokens: number; outputTokens: number }[];
  /** Spend is summed from the audit log, which keeps at most this many requests. */
  auditCap: number;
  /** Whether a day came from the Store's per-day rollups (complete, whatever the cap). */
  rollups?: boolean;
}

/** One scheduled loop and its last run (from the daemon's ledger). */
export interface LoopRow {
  name: string;
  /** "every 5m", "cron 0 3 * * *", "at …", "on event". */
  schedule: string;
  state: string;
  nextRunAt?: number;
  last?: {
    runId: string;
    status: string;
    startedAt: number;
    durationMs?: number;
    diffStat?: string;
  };
}

/** The Loops panel: whether a daemon is alive, and the ledger's loops (empty without one). */
export interface LoopsView {
  running: boolean;
  loops: LoopRow[];
}

/** Everything the page shows, in one answer. */
export interface DashboardSnapshot {
  server: { store: string; now: number; canReset: boolean; switchBelow: number };
  fleet: FleetProfile[];
  routes: RouteRow[];
  decisions: Decision[];
  spend: Spend;
  loops: LoopsView;
}

/** What changed since the last message (absent fields: unchanged). */
export interface DashboardBatch {
  now: number;
  fleet?: FleetProfile[];
  removedProfiles?: string[];
  routes?: RouteRow[];
  removedRoutes?: string[];
  /** New decisions, newest first. */
  decisions?: Decision[];
  spend?: Spend;
  loops?: LoopsView;
}

/** The event stream's messages (`event:` names the type; `data:` holds the rest as JSON). */
export type DashboardEvent =
  { type: "snapshot"; snapshot: DashboardSnapshot } | { type: "batch"; batch: DashboardBatch };
