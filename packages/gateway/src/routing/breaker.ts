/**
 * A circuit breaker per route, as pure functions over a plain JSON state so it can live in the
 * Store and be changed atomically with `store.update`.
 *
 * Only `transient` failures (see failure-class.ts) should be recorded here. Rate limits, quota
 * and refused credentials already carry their own cooldown with a known end; counting them as
 * breaker failures would open the breaker for the wrong duration and, on a healthy provider,
 * for a reason a different credential does not share. The caller decides what to record.
 *
 * With a shared Store, reserve the probe inside the atomic update so only one process or
 * replica gets it:
 *
 *     let decision: BreakerDecision | undefined;
 *     await store.update<BreakerState>(key, (current) => {
 *       decision = canAttempt(current, now, config); // may run more than once: last run wins
 *       return decision.state;
 *     });
 */

/** One outcome in the sliding window. */
export interface BreakerSample {
  /** Epoch milliseconds. */
  at: number;
  ok: boolean;
}

/** The serialisable breaker state of one route. Absent from the Store means a fresh closed one. */
export interface BreakerState {
  /**
   * `closed`: requests flow. `open`: requests are refused until the cooldown has passed.
   * `half_open`: the cooldown passed; one probe request decides between closed and open.
   */
  state: "closed" | "open" | "half_open";
  consecutiveFailures: number;
  /** Recent outcomes, oldest first, within `windowMs` and at most `maxSamples` long. */
  window: BreakerSample[];
  /** Epoch ms when the breaker last opened. */
  openedAt?: number;
  /** Epoch ms until which a half-open probe is reserved; after that another may be granted. */
  probeInFlightUntil?: number;
  /** The latest failure recorded, for `hedge gateway status` (what opened it). */
  lastFailure?: { at: number; reason: string };
}

/** When a breaker opens and how it recovers. */
export interface BreakerConfig {
  /** Opens after this many failures in a row. */
  failureThreshold: number;
  /** Opens when failures / calls in the window reach this ratio ... */
  failureRatio: number;
  /** ... provided the window holds at least this many calls. */
  minCalls: number;
  /** Length of the sliding window. */
  windowMs: number;
  /** How long an open breaker refuses before a probe is allowed. */
  cooldownMs: number;
  /** A probe that has not reported after this long is presumed lost; another may go. */
  probeTimeoutMs: number;
  /** Bound on samples kept, so the stored state stays small under heavy traffic. */
  maxSamples: number;
}

export const DEFAULT_BREAKER_CONFIG: Readonly<BreakerConfig> = {
  failureThreshold: 5,
  failureRatio: 0.5,
  minCalls: 10,
  windowMs: 60_000,
  cooldownMs: 30_000,
  // A probe is a full model call; streaming responses can take a while to fail.
  probeTimeoutMs: 60_000,
  maxSamples: 100,
};

/** The answer of {@link canAttempt}. */
export interface BreakerDecision {
  allowed: boolean;
  /** The attempt is the half-open probe: its outcome closes or re-opens the breaker. */
  probe: boolean;
  /** When refused: when an attempt may be allowed again (epoch ms), when known. */
  until?: number;
  /**
   * The state to store: the input object itself when nothing changed (skip the write), a new
   * object when the breaker moved to half-open or reserved a probe.
   */
  state: BreakerState;
}

/** A fresh closed breaker. */
export function closedBreaker(): BreakerState {
  return { state: "closed", consecutiveFailures: 0, window: [] };
}

/**
 * Whether a route may be attempted now. Closed: yes. Open: no until `cooldownMs` after it
 * opened; then it turns half-open and grants exactly one probe. Half-open: no while a probe is
 * in flight; yes (a new probe) once the previous probe's timeout has passed without a report.
 */
export function canAttempt(
  state: BreakerState | undefined,
  now: number,
  config: Partial<BreakerConfig> = {},
): BreakerDecision {
  const current = state ?? closedBreaker();
  const settings = { ...DEFAULT_BREAKER_CONFIG, ...config };
  switch (current.state) {
    case "closed":
      return { allowed: true, probe: false, state: current };
    case "open": {
      // A state without `openedAt` (written by hand, or by an older version) may probe now.
      const until =
        current.openedAt === undefined ? undefined : current.openedAt + settings.cooldownMs;
      if (until !== undefined && now < until) {
        return { allowed: false, probe: false, state: current, until };
      }
      return { allowed: true, probe: true, state: reserveProbe(current, now, settings) };
    }
    case "half_open": {
      const until = current.probeInFlightUntil;
      if (until !== undefined && now < until) {
        return { allowed: false, probe: false, state: current, until };
      }
      return { allowed: true, probe: true, state: reserveProbe(current, now, settings) };
    }
  }
}

/**
 * Records a successful attempt. Half-open: the probe (or any request) succeeded, so the breaker
 * closes with a clean slate. Closed: the failure streak ends. Open: ignored, since it comes
 * from a request that started before the breaker opened and says nothing about now.
 */
export function recordSuccess(
  state: BreakerState | undefined,
  now: number,
  config: Partial<BreakerConfig> = {},
): BreakerState {
  const current = state ?? closedBreaker();
  if (current.state === "half_open") return closedBreaker();
  if (current.state === "open") return current;
  const settings = { ...DEFAULT_BREAKER_CONFIG, ...config };
  return {
    state: "closed",
    consecutiveFailures: 0,
    window: appendSample(current.window, { at: now, ok: true }, now, settings),
  };
}

/**
 * Records a transient failure. Closed: opens after `failureThreshold` failures in a row, or
 * when at least `minCalls` calls in the window failed at `failureRatio` or more. Half-open: the
 * probe failed, so it re-opens with a fresh cooldown. Open: ignored (a late report).
 */
export function recordFailure(
  state: BreakerState | undefined,
  now: number,
  config: Partial<BreakerConfig> = {},
  reason?: string,
): BreakerState {
  const current = state ?? closedBreaker();
  if (current.state === "open") return current;
  const lastFailure = reason === undefined ? {} : { lastFailure: { at: now, reason } };
  if (current.state === "half_open") {
    return {
      state: "open",
      consecutiveFailures: current.consecutiveFailures + 1,
      window: [],
      openedAt: now,
      ...lastFailure,
    };
  }
  const settings = { ...DEFAULT_BREAKER_CONFIG, ...config };
  const consecutiveFailures = current.consecutiveFailures + 1;
  const window = appendSample(current.window, { at: now, ok: false }, now, settings);
  const failures = window.filter((sample) => !sample.ok).length;
  const tripped =
    consecutiveFailures >= settings.failureThreshold ||
    (window.length >= settings.minCalls && failures / window.length >= settings.failureRatio);
  // The window restarts when the breaker opens: recovery is judged on fresh traffic only.
  if (tripped)
    return { state: "open", consecutiveFailures, window: [], openedAt: now, ...lastFailure };
  return { state: "closed", consecutiveFailures, window, ...lastFailure };
}

function reserveProbe(current: BreakerState, now: number, settings: BreakerConfig): BreakerState {
  return {
    state: "half_open",
    consecutiveFailures: current.consecutiveFailures,
    window: current.window,
    ...(current.openedAt === undefined ? {} : { openedAt: current.openedAt }),
    probeInFlightUntil: now + settings.probeTimeoutMs,
    ...(current.lastFailure === undefined ? {} : { lastFailure: current.lastFailure }),
  };
}

function appendSample(
  window: readonly BreakerSample[],
  sample: BreakerSample,
  now: number,
  settings: BreakerConfig,
): BreakerSample[] {
  // Filter rather than shift: samples from several replicas need not arrive in time order.
  const recent = window.filter((entry) => entry.at > now - settings.windowMs);
  recent.push(sample);
  return recent.length > settings.maxSamples ? recent.slice(-settings.maxSamples) : recent;
}
