/**
 * Shared state of the gateway: breakers, cooldowns, latency estimates, sticky sessions, usage
 * windows and the audit log. Every local process (SQLite file) or every replica (Redis) sees the
 * same state. Values are JSON. All operations are async so Redis fits the same interface.
 */
export interface Store {
  /** `memory`, `sqlite` or `redis`, for status output. */
  readonly kind: "memory" | "sqlite" | "redis";

  /** The live value, or undefined when absent or expired. `T` is not checked: parse if unsure. */
  get<T>(key: string): Promise<T | undefined>;
  /** Many keys in one round trip; missing keys are absent from the map. */
  getMany<T>(keys: readonly string[]): Promise<Map<string, T>>;
  /**
   * Sets a value (stored as JSON: a Date reads back as a string); with `ttlMs` it expires (and
   * reads as absent) after that long, without it any earlier expiry is cleared. `undefined`
   * deletes. A `ttlMs` that is not a positive number is a RangeError.
   */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Atomic read-modify-write: `change` gets the current value and returns the new one (or
   * undefined to delete); an expired value is passed as undefined. No other process's update
   * interleaves (SQLite: a `BEGIN IMMEDIATE` transaction; Redis: a compare-and-set script, retried
   * with backoff when another writer won; memory: synchronous). `change` must be pure and
   * synchronous: it may run more than once under contention. With `ttlMs` the written value
   * expires after that long; without it the key keeps the expiry it had (none, when created).
   */
  update<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined>;
  /**
   * Atomically adds `by` to a numeric counter and returns the new value; an absent or expired key
   * starts from 0. `ttlMs` applies on creation only, so a window counter expires on schedule.
   * A key holding something other than a number fails with `store_not_a_number`.
   */
  increment(key: string, by: number, ttlMs?: number): Promise<number>;
  /** Every live entry whose key starts with `prefix` (literally), sorted by key. */
  list<T>(prefix: string): Promise<{ key: string; value: T }[]>;

  /**
   * Appends audit entries (one, or a batch in one transaction / round trip); entries older than
   * the retention, or beyond the maximum count, are pruned.
   */
  appendAudit(entries: AuditEntry | readonly AuditEntry[]): Promise<void>;
  /** Newest first (by `at`; equal `at`s latest-appended first), within the retention. */
  listAudit(query?: AuditQuery): Promise<AuditEntry[]>;

  /** Releases the file or connection; later calls fail with `store_closed`. Idempotent. */
  close(): Promise<void>;
}

/** One routed request, as recorded for `hedge gateway status` and debugging. No secrets. */
export interface AuditEntry {
  /** Epoch milliseconds. */
  at: number;
  requestId: string;
  model: string;
  /** `provider/credential` route ids, with what happened on each. */
  attempts: {
    route: string;
    /** The upstream model the route was asked for. */
    model?: string;
    outcome: string;
    status?: number;
    latencyMs?: number;
  }[];
  excluded: { route: string; reason: string }[];
  outcome: string;
  /** Accounting of the model call (present for calls that were routed), for `hedge stats`. */
  call?: CallStats;
}

/** What one model call cost and how it went. Token counts as the provider reported them. */
export interface CallStats {
  role?: string;
  session?: string;
  turn?: string;
  /** The model asked for; `provider` / `upstream_model` / `profile` the route that served it. */
  model: string;
  provider?: string;
  upstream_model?: string;
  profile?: string;
  /** The id of the gateway key that made the call (a loop run's key: its tokens and $). */
  gateway_key?: string;
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  latency_ms: number;
  ttft_ms?: number;
  tool_calls: number;
  /** From the dated price table (or config prices); absent when the model has no price. */
  cost_usd?: number;
  outcome: string;
  /** For QA verdict records (no model call of their own). */
  qa_verdict?: string;
}

export interface AuditQuery {
  /** Epoch milliseconds; only entries at or after. */
  since?: number;
  limit?: number;
}

export interface StoreOptions {
  /** Audit entries older than this are pruned (default 7 days). */
  auditRetentionMs?: number;
  /** At most this many audit entries are kept (default 10,000). */
  auditMaxEntries?: number;
  /**
   * Clock for TTLs and retention; tests inject one. Redis keeps TTLs on the server's clock (PX),
   * so there it drives audit retention only.
   */
  now?: () => number;
}
