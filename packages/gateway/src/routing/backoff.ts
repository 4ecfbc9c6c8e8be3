/** Shape of the exponential backoff between retries of the same route. */
export interface BackoffOptions {
  /** Cap of the first retry's delay. */
  baseMs?: number;
  /** No delay exceeds this. */
  maxMs?: number;
  /** A uniform draw in [0, 1); tests inject a fixed one. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (0 for the first retry) of the same route: exponential
 * with full jitter, a uniform draw in [0, min(maxMs, baseMs * 2^attempt)]. Full jitter rather
 * than a fixed schedule so that many clients failing together (a provider blip) do not retry in
 * lockstep. Whole milliseconds; a negative or non-finite attempt counts as 0.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 200, maxMs = 5000, random = Math.random } = options;
  const exponent = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  // 2 ** large is Infinity, which Math.min caps; no overflow to guard against.
  const cap = Math.max(0, Math.min(maxMs, baseMs * 2 ** exponent));
  const draw = random();
  const fraction = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0.5;
  return Math.round(cap * fraction);
}

/**
 * Whether something expected to take `estimateMs` (a backoff plus an attempt) still ends
 * before the request's `deadline` (epoch ms, from `routing.request_budget_ms`).
 */
export function withinBudget(deadline: number, now: number, estimateMs: number): boolean {
  return now + Math.max(0, estimateMs) <= deadline;
}
