import { GatewayError } from "@hedge/model-spec";
import { backoffDelay } from "../routing/backoff.js";
import { classifyFailure, type FailureClass } from "../routing/failure-class.js";
import type { MaybePromise, RouteHealth } from "../routing/health.js";
import type { CancelSignal } from "./cancellation.js";
import { sleepUnlessAborted } from "./cancellation.js";
import type { Attempt, RoutePlan } from "./route.js";
import { textScrubber } from "../views/redact-view.js";
import { usageExhausted } from "./unavailable.js";

/** What one try of one route gave: a usable response, or a failure to classify. */
export type TryResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      status?: number;
      body?: string;
      headers?: Readonly<Record<string, string | string[] | undefined>>;
      errorCode?: string;
      message: string;
      /** Kept so a caller fault can be answered with the upstream's own error. */
      value?: T;
    };

/** What one try may take: the time to the response headers left in the request's budget. */
export interface TryLimits {
  headersTimeoutMs: number;
}

/** One try as the audit log records it. */
export interface AttemptLog {
  route: string;
  /** The upstream model the route was asked for. */
  model?: string;
  /** `client_closed`: the caller cancelled while this try was under way (not the route's fault). */
  outcome: "ok" | FailureClass["kind"] | "client_closed";
  status?: number;
  latencyMs: number;
  reason?: string;
}

export type RunOutcome<T> =
  | { kind: "ok"; attempt: Attempt; value: T }
  /** The caller's own fault (400/404/413/422): answered as is, never retried. */
  | {
      kind: "caller_fault";
      attempt: Attempt;
      value: T | undefined;
      status: number;
      body: string;
      failure: FailureClass;
    };

export interface RunOptions {
  plan: RoutePlan;
  health: RouteHealth | undefined;
  /** Absolute deadline (epoch ms by `now`) bounding retries x timeouts. */
  deadline: number;
  now: () => number;
  retry: { sameRoute: number; baseMs: number; maxMs: number };
  signal?: CancelSignal;
  log: AttemptLog[];
  /** Session to stick to the route that answers. */
  sticky?: { session: string; model: string; ttlMs: number };
  /**
   * Claims capacity on a route right before it is tried (declared local limits, atomically);
   * a refusal skips the route like a rate limit, without calling it.
   */
  reserve?: (attempt: Attempt) => MaybePromise<{ reason: string; until?: number } | undefined>;
  /** Sees every try's outcome (rate-limit headers of successes and failures alike). */
  observe?: (attempt: Attempt, result: TryResult<unknown>) => Promise<void> | undefined;
}

/**
 * Tries the plan's routes in order. Transient failures retry the same route with exponential
 * backoff and jitter, then move on; rate limits, quota and refused credentials cool the route
 * down until its reset and move on; a caller fault is returned at once. Every outcome reaches
 * health (breakers, cooldowns), and the whole run stays inside the time budget.
 */
export async function runAttempts<T>(
  options: RunOptions,
  tryOnce: (attempt: Attempt, limits: TryLimits) => Promise<TryResult<T>>,
): Promise<RunOutcome<T>> {
  const { plan, health, now } = options;
  let last: LastFailure | undefined;
  // Whether the budget, not the routes, ended the last try: the answer is then a timeout.
  let budgetCut = false;
  // Routes out for their limits (refused before a call, or a 429): when they recover.
  const limited = { count: 0, earliest: undefined as number | undefined };
  const noteLimited = (until: number | undefined): void => {
    limited.count += 1;
    if (until !== undefined) limited.earliest = Math.min(limited.earliest ?? until, until);
  };
  for (const attempt of plan.attempts) {
    const condition = plan.conditions.get(attempt);
    // Health and usage answer synchronously when they need no Store call (the common case):
    // only real work is awaited.
    const claimed = health ? health.claim(attempt.id, condition) : true;
    if (!(typeof claimed === "boolean" ? claimed : await claimed)) {
      options.log.push({
        route: attempt.id,
        model: attempt.upstreamModel,
        outcome: "transient",
        latencyMs: 0,
        reason: "half-open probe already taken",
      });
      continue;
    }
    const reserving = settledOrUndefined(() => options.reserve?.(attempt));
    const refusal = reserving instanceof Promise ? await reserving : reserving;
    if (refusal) {
      options.log.push({
        route: attempt.id,
        model: attempt.upstreamModel,
        outcome: "rate_limited",
        latencyMs: 0,
        reason: refusal.reason,
      });
      noteLimited(refusal.until);
      continue;
    }
    for (let retry = 0; retry <= options.retry.sameRoute; retry += 1) {
      if (options.signal?.aborted) throw aborted();
      if (now() >= options.deadline) throw budgetSpent(plan.model, last);
      const started = now();
      budgetCut = false;
      // The budget bounds the wait for headers too, not only the retries between tries.
      const result = scrubFailure(
        await tryOnce(attempt, { headersTimeoutMs: Math.max(1, options.deadline - started) }),
        attempt,
      );
      const latencyMs = now() - started;
      const observing = options.observe?.(attempt, result);
      if (observing) await observing.catch(() => undefined);
      if (result.ok) {
        options.log.push({
          route: attempt.id,
          model: attempt.upstreamModel,
          outcome: "ok",
          latencyMs,
        });
        const recording = health?.succeeded(attempt.id, condition, latencyMs);
        if (recording) await recording.catch(() => undefined);
        if (options.sticky && plan.sticky !== attempt.id) {
          await health
            ?.setSticky(
              options.sticky.session,
              options.sticky.model,
              attempt.id,
              options.sticky.ttlMs,
            )
            .catch(() => undefined);
        }
        return { kind: "ok", attempt, value: result.value };
      }
      // The caller's cancel is never the route's failure: logged as such, nothing classified.
      if (options.signal?.aborted) {
        options.log.push({
          route: attempt.id,
          model: attempt.upstreamModel,
          outcome: "client_closed",
          latencyMs,
        });
        throw aborted();
      }
      const failure = classifyFailure(
        {
          ...(result.status === undefined ? {} : { status: result.status }),
          ...(result.body === undefined ? {} : { body: result.body }),
          ...(result.errorCode === undefined ? {} : { errorCode: result.errorCode }),
          ...(result.headers === undefined ? {} : { headers: result.headers }),
          ...(attempt.credential.secret ? {} : { keyless: true }),
        },
        now(),
      );
      options.log.push({
        route: attempt.id,
        model: attempt.upstreamModel,
        outcome: failure.kind,
        latencyMs,
        reason: failure.reason,
        ...(result.status === undefined ? {} : { status: result.status }),
      });
      if (failure.kind === "caller") {
        return {
          kind: "caller_fault",
          attempt,
          value: result.value,
          status: result.status ?? 400,
          body: result.body ?? "",
          failure,
        };
      }
      if (failure.kind === "rate_limited" || failure.kind === "quota")
        noteLimited(failure.cooldownUntil);
      // A failure that opened the breaker (or failed the half-open probe) ends this route.
      const usable = health ? await health.failed(attempt, failure).catch(() => true) : true;
      last = {
        failure,
        message: `${attempt.provider.id}: ${result.message}`,
        ...(result.status === undefined ? {} : { status: result.status }),
        callersKey: attempt.credential.source === "caller",
      };
      if (failure.kind === "transient" && now() >= options.deadline) budgetCut = true;
      if (
        failure.kind !== "transient" ||
        !failure.retrySameRoute ||
        !usable ||
        retry === options.retry.sameRoute
      )
        break;
      const delay = backoffDelay(retry, {
        baseMs: options.retry.baseMs,
        maxMs: options.retry.maxMs,
      });
      if (now() + delay >= options.deadline) {
        budgetCut = true;
        break;
      }
      await sleepUnlessAborted(delay, options.signal);
    }
  }
  if (budgetCut) throw budgetSpent(plan.model, last);
  if (limited.count > 0 && limited.count === countTried(options.log, plan))
    throw allLimited(plan.model, options.log, limited.earliest, now());
  throw exhausted(plan.model, last, limited.earliest);
}

/**
 * The value of a call that may answer synchronously or with a promise; a failure of either kind
 * is undefined (usage accounting never fails a request). Awaits only a real promise.
 */
function settledOrUndefined<T>(
  call: () => MaybePromise<T | undefined> | undefined,
): MaybePromise<T | undefined> {
  try {
    const value = call();
    return value instanceof Promise ? value.catch(() => undefined) : value;
  } catch {
    return undefined;
  }
}

/** How many of the plan's routes this run got to (refused ones included). */
function countTried(log: readonly AttemptLog[], plan: RoutePlan): number {
  return new Set(
    log
      .map((entry) => entry.route)
      .filter((route) => plan.attempts.some((attempt) => attempt.id === route)),
  ).size;
}

/** Every route was out for its limits: a 429 naming the earliest reset. */
function allLimited(
  model: string,
  log: readonly AttemptLog[],
  earliest: number | undefined,
  now: number,
): GatewayError {
  const reasons = log.map((entry) => `${entry.route}: ${entry.reason ?? entry.outcome}`).join("; ");
  return usageExhausted(model, reasons, earliest, now);
}

/** The caller went away (Ctrl-C, a hang-up, its own timeout): 499, as nginx records it. */
function aborted(): GatewayError {
  return new GatewayError("client_closed", "the request was cancelled by the caller", {
    status: 499,
    type: "client_closed",
  });
}

function budgetSpent(
  model: string,
  last: { failure: FailureClass; message: string } | undefined,
): GatewayError {
  return new GatewayError(
    "budget_exhausted",
    `the time budget for "${model}" ran out${last ? ` (last: ${last.message})` : ""}`,
    {
      status: 504,
      type: "timeout_error",
      retryable: true,
      hint: "raise routing.request_budget_ms, or check 'hedge gateway status' for failing routes",
    },
  );
}

/**
 * A failed try's texts without the key it was made with (nor any key-shaped word): a provider
 * may quote the key it refused, and these texts become failure reasons, log lines, the error a
 * caller reads and a caller fault's body.
 */
function scrubFailure<T>(result: TryResult<T>, attempt: Attempt): TryResult<T> {
  if (result.ok) return result;
  const scrub = textScrubber(attempt.credential.secret ? [attempt.credential.secret] : []);
  return {
    ...result,
    message: scrub(result.message),
    ...(result.body === undefined ? {} : { body: scrub(result.body) }),
  };
}

/** The last failed try of a run, for the error when no route is left. */
interface LastFailure {
  failure: FailureClass;
  status?: number;
  message: string;
  /** The refused key was the caller's own (BYOK), not one of the gateway's. */
  callersKey: boolean;
}

/**
 * Every route failed. A refused key is a 401 only when it was the caller's own: a key of the
 * gateway refused upstream (or a permission it lacks) is a 403, so a client (another hedge)
 * never takes it for a refusal of its own gateway key.
 */
function exhausted(
  model: string,
  last: LastFailure | undefined,
  limitedUntil: number | undefined,
): GatewayError {
  if (!last) {
    return new GatewayError("no_healthy_route", `no route for "${model}" could be tried`, {
      status: 503,
      type: "overloaded_error",
      retryable: true,
    });
  }
  const { kind } = last.failure;
  const status =
    kind === "rate_limited"
      ? 429
      : kind === "quota"
        ? 402
        : kind === "credential" && last.callersKey
          ? 401
          : kind === "credential" || kind === "permission"
            ? 403
            : last.status && last.status >= 500
              ? last.status
              : 502;
  return new GatewayError(
    "routes_exhausted",
    `every route for "${model}" failed; last: ${last.message} (${last.failure.reason})`,
    {
      status,
      type:
        status === 429
          ? "rate_limit_error"
          : status === 401
            ? "authentication_error"
            : status === 403
              ? "permission_error"
              : "api_error",
      retryable: kind !== "credential" && kind !== "permission",
      // A 429 says when the earliest rate-limited route recovers (the server's Retry-After).
      ...(status === 429 && limitedUntil !== undefined ? { retryAt: limitedUntil } : {}),
    },
  );
}
