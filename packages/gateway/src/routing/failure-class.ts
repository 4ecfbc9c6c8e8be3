import { describeFacts as describe, errorFacts, type ErrorFacts } from "./error-facts.js";
import { rateLimitScope, refusalOf, type CooldownScope } from "./refusal-scope.js";
import { parseDuration, parseResetTime, type ResponseHeaders } from "./reset-time.js";

export type { CooldownScope } from "./refusal-scope.js";

/**
 * What kind of failure an attempt met, which decides what the router does next:
 * - `transient`: the provider or the network hiccuped; retry the same route with backoff, then
 *   the next route. The only kind that should count toward a route's circuit breaker.
 * - `rate_limited`: the credential hit a rate window; skip the route until the window resets.
 * - `quota`: the account is out of money or quota; skip the route for a long time.
 * - `credential`: the provider says the key or login is invalid (wrong, revoked, expired); treat
 *   it as invalid until a re-login (or for a long time).
 * - `permission`: the key is valid but may not do this (a model its project lacks, a region):
 *   skip that model (or, for a region, the route) for a long time; other models stay in use.
 * - `caller`: the request itself is wrong; return the error, retrying anywhere is pointless.
 */
export type FailureKind =
  "transient" | "rate_limited" | "quota" | "credential" | "permission" | "caller";

/** The verdict on one failed attempt. */
export interface FailureClass {
  kind: FailureKind;
  /** Whether retrying this same route (after a backoff) is worthwhile before moving on. */
  retrySameRoute: boolean;
  /**
   * Epoch milliseconds until which the route (provider x credential) should be skipped. Set for
   * rate limits, quota and credential failures, and for transient failures whose response named
   * a retry time. Never earlier than `now`.
   */
  cooldownUntil?: number;
  /** What the cooldown holds for (see {@link CooldownScope}); set with `cooldownUntil`. */
  scope?: CooldownScope;
  /** One line a person can read in `route explain` or the audit log. */
  reason: string;
}

/** What is known about a failed attempt; any part may be missing. */
export interface FailureInput {
  /** Upstream HTTP status, when a response arrived. */
  status?: number;
  /** Upstream error body: raw text or parsed JSON. */
  body?: string | object;
  /**
   * Error code or name of a failure without a response: `ECONNRESET`, `ECONNREFUSED`,
   * `ETIMEDOUT`, `UND_ERR_HEADERS_TIMEOUT`, `AbortError`, `TimeoutError`... An abort caused by
   * the client's own signal is not a route failure: the caller should not classify it.
   */
  errorCode?: string;
  headers?: ResponseHeaders;
  /**
   * The route sent no key (a keyless local provider): a 401/403 then blames no credential, and
   * marks nothing, so one caller's refused request cannot lock every caller out.
   */
  keyless?: boolean;
}

/** How long each kind of failure keeps a route out of rotation. */
export interface FailureCooldowns {
  /** A 429 whose response names no reset time. */
  rateLimitMs: number;
  /** Out of quota or credit: topping up takes a person, so a long pause. */
  quotaMs: number;
  /** A refused credential: it will not heal by itself (a re-login clears the cooldown). */
  credentialMs: number;
  /** A permission the key lacks (a model, a region): granting it takes a person. */
  permissionMs: number;
  /** Upper bound on a provider-given reset, so a bogus header cannot park a route forever. */
  maxCooldownMs: number;
  /** A transient failure asking to wait longer than this moves to the next route instead. */
  sameRouteWaitMs: number;
}

export const DEFAULT_FAILURE_COOLDOWNS: Readonly<FailureCooldowns> = {
  rateLimitMs: 60_000,
  quotaMs: 3_600_000,
  credentialMs: 3_600_000,
  permissionMs: 3_600_000,
  // Subscription plans (Codex, Claude) have weekly windows; a week covers a real reset.
  maxCooldownMs: 7 * 24 * 3_600_000,
  sameRouteWaitMs: 5_000,
};

// Error types and codes that mean "out of money or quota" across providers, lower-cased:
// OpenAI, Anthropic, DeepSeek/OpenRouter, DashScope (`Arrearage`), Zhipu/Z.ai (`1113`).
const QUOTA_CODES = new Set([
  "insufficient_quota",
  "billing_error",
  "billing_hard_limit_reached",
  "billing_not_active",
  "insufficient_balance",
  "insufficient_credits",
  "arrearage",
  "1113",
]);
// Messages only where no structured code says it; "billing" alone also appears in ordinary
// rate-limit messages (links to the billing page), so it is not enough.
const QUOTA_MESSAGE =
  /credit balance is too low|insufficient[ _](?:quota|balance|credits?|funds)|exceeded your current quota|余额不足/i;

// Failures without a response that are worth retrying on the same route.
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "AbortError",
  "TimeoutError",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_ABORTED",
]);

// Anthropic and OpenAI error types for bodies that arrive without a failing status (an error
// event inside a 200 stream).
const KIND_BY_ERROR_TYPE: ReadonlyMap<string, FailureKind> = new Map<string, FailureKind>([
  ["rate_limit_error", "rate_limited"],
  ["rate_limit_exceeded", "rate_limited"],
  // Codex (ChatGPT plans): "The usage limit has been reached", with resets_at / resets_in_seconds.
  ["usage_limit_reached", "rate_limited"],
  ["overloaded_error", "transient"],
  ["api_error", "transient"],
  ["server_error", "transient"],
  ["timeout_error", "transient"],
  ["authentication_error", "credential"],
  ["permission_error", "permission"],
  ["invalid_api_key", "credential"],
  ["invalid_request_error", "caller"],
  ["not_found_error", "caller"],
  ["request_too_large", "caller"],
]);

/**
 * Classifies a failed attempt (see {@link FailureKind}). Status rules, in order: a body that
 * says quota or billing on any 4xx, or 402, is `quota` (OpenAI sends `insufficient_quota` with
 * 429, Anthropic "credit balance is too low" with 400); 401/403 `credential` when the body (or a
 * bare 401) says the key is refused, else `permission` for the model asked (see `refusalOf`),
 * and neither marks anything when the route sent no key; 429 `rate_limited`; 408, 409, 425 and
 * 5xx (529 included) `transient`; every other 4xx `caller`. Without a status, a network or
 * timeout `errorCode` is `transient`, and an error body is judged by its type.
 */
export function classifyFailure(
  input: FailureInput,
  now: number,
  cooldowns: Partial<FailureCooldowns> = {},
): FailureClass {
  const limits = { ...DEFAULT_FAILURE_COOLDOWNS, ...cooldowns };
  const facts = errorFacts(input.body);
  const { status } = input;
  if (status !== undefined && status >= 400) {
    return classifyStatus(status, facts, input, now, limits);
  }
  if (input.errorCode !== undefined) return classifyErrorCode(input.errorCode);
  if (isQuota(facts)) return quota(`quota: ${describe(facts)}`, now, limits);
  const kind = KIND_BY_ERROR_TYPE.get(facts.type ?? "") ?? KIND_BY_ERROR_TYPE.get(facts.code ?? "");
  const label = `upstream error (${facts.type ?? facts.code ?? "untyped"}): ${describe(facts)}`;
  switch (kind) {
    case "rate_limited":
      return rateLimited(label, facts, input.headers ?? {}, now, limits);
    case "credential":
    case "permission":
      return refused(label, undefined, facts, input.keyless === true, now, limits);
    case "caller":
      return { kind: "caller", retrySameRoute: false, reason: label };
    default:
      return transient(
        facts.type === undefined && facts.message === undefined
          ? "unknown upstream failure"
          : label,
        input.headers ?? {},
        now,
        limits,
      );
  }
}

function classifyStatus(
  status: number,
  facts: ErrorFacts,
  input: FailureInput,
  now: number,
  limits: FailureCooldowns,
): FailureClass {
  const label = `${status}: ${describe(facts)}`;
  const headers = input.headers ?? {};
  if (status === 402 || (status < 500 && isQuota(facts))) {
    return quota(`quota or billing (${label})`, now, limits);
  }
  if (status === 401 || status === 403)
    return refused(label, status, facts, input.keyless === true, now, limits);
  if (status === 429) return rateLimited(`rate limited (${label})`, facts, headers, now, limits);
  if (status === 408 || status === 409 || status === 425 || status >= 500) {
    return transient(`transient upstream failure (${label})`, headers, now, limits);
  }
  return { kind: "caller", retrySameRoute: false, reason: `request rejected (${label})` };
}

function classifyErrorCode(code: string): FailureClass {
  // Timeouts carry many names (UND_ERR_HEADERS_TIMEOUT, UND_ERR_CONNECT_TIMEOUT, ...).
  if (NETWORK_CODES.has(code) || /TIMEOUT/i.test(code)) {
    return { kind: "transient", retrySameRoute: true, reason: `network failure: ${code}` };
  }
  // Unknown local errors (a bad URL, a TLS misconfiguration) will not heal on a retry of the
  // same route, but another route may not share the problem.
  return { kind: "transient", retrySameRoute: false, reason: `request failed: ${code}` };
}

function transient(
  reason: string,
  headers: ResponseHeaders,
  now: number,
  limits: FailureCooldowns,
): FailureClass {
  const reset = parseResetTime(headers, now);
  if (reset === undefined) return { kind: "transient", retrySameRoute: true, reason };
  const cooldownUntil = Math.min(reset, now + limits.maxCooldownMs);
  return {
    kind: "transient",
    retrySameRoute: cooldownUntil - now <= limits.sameRouteWaitMs,
    cooldownUntil,
    scope: "family",
    reason: `${reason}; retry after ${formatMs(cooldownUntil - now)}`,
  };
}

function rateLimited(
  reason: string,
  facts: ErrorFacts,
  headers: ResponseHeaders,
  now: number,
  limits: FailureCooldowns,
): FailureClass {
  let reset = parseResetTime(headers, now);
  let source = "from headers";
  if (reset === undefined && facts.resetsInMs !== undefined) {
    reset = now + facts.resetsInMs;
    source = "from body";
  } else if (reset === undefined && facts.resetsAt !== undefined) {
    reset = Math.max(now, facts.resetsAt);
    source = "from body";
  }
  if (reset === undefined) {
    // OpenAI puts the wait in the message when headers are stripped by a proxy.
    const hinted = retryHint(facts.message);
    reset = hinted === undefined ? undefined : now + hinted;
    source = hinted === undefined ? "default" : "from message";
  }
  const cooldownUntil = Math.min(reset ?? now + limits.rateLimitMs, now + limits.maxCooldownMs);
  return {
    kind: "rate_limited",
    retrySameRoute: false,
    cooldownUntil,
    scope: rateLimitScope(headers, facts),
    reason: `${reason}; cooldown ${formatMs(cooldownUntil - now)} (${source})`,
  };
}

function quota(reason: string, now: number, limits: FailureCooldowns): FailureClass {
  return {
    kind: "quota",
    retrySameRoute: false,
    cooldownUntil: now + limits.quotaMs,
    scope: "route",
    reason: `${reason}; cooldown ${formatMs(limits.quotaMs)}`,
  };
}

/** A 401/403, or an authentication or permission error event: see `refusalOf`. */
function refused(
  label: string,
  status: number | undefined,
  facts: ErrorFacts,
  keyless: boolean,
  now: number,
  limits: FailureCooldowns,
): FailureClass {
  if (keyless) {
    // No key was sent, so there is no credential to blame; what the refusal depends on (a model,
    // something in this request) is unknown: the next route is tried and nothing is marked.
    return {
      kind: "permission",
      retrySameRoute: false,
      reason: `refused (${label}); the provider has no key configured, so nothing is marked (if it needs one: set api_key_env or log in a profile)`,
    };
  }
  const refusal = refusalOf(status, facts);
  if (refusal.kind === "credential") {
    return {
      kind: "credential",
      retrySameRoute: false,
      cooldownUntil: now + limits.credentialMs,
      scope: "route",
      reason: `credential refused (${label}); credential marked invalid until a re-login (hedge auth login) or ${formatMs(limits.credentialMs)}`,
    };
  }
  return {
    kind: "permission",
    retrySameRoute: false,
    cooldownUntil: now + limits.permissionMs,
    scope: refusal.scope,
    reason: `permission refused (${label}); ${refusal.scope === "model" ? "this model" : "this route"} skipped for ${formatMs(limits.permissionMs)}`,
  };
}

function isQuota(facts: ErrorFacts): boolean {
  return (
    (facts.type !== undefined && QUOTA_CODES.has(facts.type)) ||
    (facts.code !== undefined && QUOTA_CODES.has(facts.code)) ||
    (facts.message !== undefined && QUOTA_MESSAGE.test(facts.message))
  );
}

/** "Please try again in 6m12s." -> ms. */
function retryHint(message: string | undefined): number | undefined {
  const match = message && /try again in ((?:\d+(?:\.\d+)?(?:ms|s|m|h))+)/i.exec(message);
  return match ? parseDuration(match[1] ?? "") : undefined;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10}s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)}m`;
  return `${Math.round(ms / 360_000) / 10}h`;
}
