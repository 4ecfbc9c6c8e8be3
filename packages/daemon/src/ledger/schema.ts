/** loops.db, version 2. Separate from state.db so heartbeats never contend with the gateway. */
export const LEDGER_VERSION = 2;

export const LEDGER_DDL = `
CREATE TABLE IF NOT EXISTS loops (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  schedule_kind TEXT NOT NULL CHECK (schedule_kind IN ('cron','every','at','event')),
  cron TEXT, tz TEXT,
  every_ms INTEGER, anchor_ms INTEGER,
  at_ms INTEGER,
  trigger_json TEXT,
  adapter TEXT NOT NULL CHECK (adapter IN ('hedge','codex','claude','gemini','command')),
  prompt TEXT, argv_json TEXT,
  cwd TEXT NOT NULL,
  worktree INTEGER NOT NULL DEFAULT 0,
  missed TEXT NOT NULL DEFAULT 'once' CHECK (missed IN ('once','skip','all')),
  missed_max_age_ms INTEGER NOT NULL DEFAULT 86400000,
  overlap TEXT NOT NULL DEFAULT 'skip' CHECK (overlap IN ('skip','queue')),
  timeout_ms INTEGER NOT NULL DEFAULT 1800000,
  budget_usd REAL, max_turns INTEGER, profile TEXT,
  via_gateway INTEGER NOT NULL DEFAULT 0,
  verify_argv_json TEXT, env_names_json TEXT,
  jitter_ms INTEGER NOT NULL DEFAULT 0,
  expires_at_ms INTEGER,
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active','paused','removed')),
  cursor_ms INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL, updated_at_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  loop_id TEXT NOT NULL REFERENCES loops(id),
  scheduled_for INTEGER NOT NULL,
  trigger TEXT NOT NULL CHECK (trigger IN ('schedule','catchup','manual','watch','commit','webhook','hook')),
  trigger_ref TEXT,
  status TEXT NOT NULL CHECK (status IN ('queued','running','succeeded','failed','timed_out','skipped','interrupted')),
  reason TEXT,
  collapsed_until_ms INTEGER, collapsed_count INTEGER,
  outcome TEXT CHECK (outcome IN ('changed','no_changes')),
  queued_at_ms INTEGER NOT NULL, started_at_ms INTEGER, ended_at_ms INTEGER,
  exit_code INTEGER, signal TEXT, verify_exit_code INTEGER,
  input_tokens INTEGER, output_tokens INTEGER, cost_usd REAL,
  profile TEXT, profile_reason TEXT,
  diff_files INTEGER, diff_insertions INTEGER, diff_deletions INTEGER,
  worktree_path TEXT, worktree_kept INTEGER, log_path TEXT,
  daemon_id TEXT, host TEXT, pid INTEGER, pgid INTEGER, proc_start_ticks INTEGER, boot_id TEXT,
  lease_until_ms INTEGER, heartbeat_at_ms INTEGER,
  UNIQUE (loop_id, scheduled_for)
);
CREATE UNIQUE INDEX IF NOT EXISTS runs_trigger_ref ON runs(loop_id, trigger_ref) WHERE trigger_ref IS NOT NULL;
-- One index per live status, each WHERE matching the queries' term exactly (SQLite uses a
-- partial index only then): every dispatch pass reads the queue and the running rows, which
-- must not scan a runs table that grows by every run ever recorded.
DROP INDEX IF EXISTS runs_live;
CREATE INDEX IF NOT EXISTS runs_queued ON runs(scheduled_for, id) WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS runs_running ON runs(daemon_id) WHERE status = 'running';
CREATE TABLE IF NOT EXISTS daemons (
  id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, boot_id TEXT, version TEXT NOT NULL,
  started_at_ms INTEGER NOT NULL, heartbeat_at_ms INTEGER NOT NULL, stopped_at_ms INTEGER
);
`;

/** Columns added after version 1, for ledgers created before them (CREATE IF NOT EXISTS skips). */
export const LEDGER_ADDED_COLUMNS: readonly (readonly [
  table: string,
  column: string,
  decl: string,
])[] = [
  ["loops", "via_gateway", "INTEGER NOT NULL DEFAULT 0"],
  ["runs", "profile", "TEXT"],
  ["runs", "profile_reason", "TEXT"],
];
