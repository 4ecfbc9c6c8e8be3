import type { ErrorFacts } from "./error-facts.js";
import { lowerCaseHeaders, nonNegativeNumber, type ResponseHeaders } from "./header-values.js";

/**
 * What a cooldown holds for on a route (provider x credential): the whole `route` (every model:
 * a refused key, an account out of quota, an account-wide window), the `family` of the model
 * asked for (a per-model rate limit), or that `model` only (a permission the key lacks for it).
 */
export type CooldownScope = "route" | "family" | "model";

/** What a 401/403 (or an auth error event in a stream) says: the key is bad, or a permission. */
export type Refusal = { kind: "credential" } | { kind: "permission"; scope: "route" | "model" };

// Codes and types with which providers say the key itself is refused: OpenAI `invalid_api_key`,
// Anthropic `authentication_error`, DashScope `InvalidApiKey`, OpenAI `account_deactivated`.
const CREDENTIAL_CODES = new Set([
  "invalid_api_key",
  "invalidapikey",
  "invalid_authentication",
  "authentication_error",
  "account_deactivated",
  "token_expired",
  "token_revoked",
]);
// Messages, read only when the body has no code or type (a plain-text answer): "Incorrect API
// key provided", "invalid x-api-key", "OAuth token has expired / has been revoked", "Invalid
// API-key provided", "Authentication Fails", a deactivated or suspended account. A body with a
// code of its own (a gateway's `routes_exhausted` quoting its upstream's refusal) is not read.
const CREDENTIAL_MESSAGE =
  /incorrect api[ _-]?key|invalid (?:x-)?api[ _-]?key|api[ _-]?key (?:is )?(?:invalid|not valid|revoked|expired|disabled)|\b(?:token|key|credentials?)\b (?:has |have )?(?:been )?(?:revoked|expired|deactivated|disabled)|authentication fail|(?:account|organization)\b.{0,60}\b(?:deactivated|suspended|disabled)/i;

// A permission for one model: OpenAI's 403 `model_not_found` "Project `proj_…` does not have
// access to model `gpt-…`".
const MODEL_MESSAGE =
  /does not have access to (?:the )?model|not allowed to (?:use|sample from|access) (?:this |the )?model/i;

// Refused for everything the key asks, though the key is valid: OpenAI's 403
// `unsupported_country_region_territory`.
const ACCOUNT_CODES = new Set(["unsupported_country_region_territory"]);
const ACCOUNT_MESSAGE = /country, region,? or territory not supported/i;

/**
 * Reads a refusal. The key is marked invalid only when the provider says so (a credential code
 * or type, a credential message in a body without either, or a 401 that names no model, since
 * in HTTP a 401 means the authentication failed); a refusal that names a model, and any other
 * 403 or `permission_error`, is a permission for the model asked for; a region refusal holds
 * for the whole route.
 */
export function refusalOf(status: number | undefined, facts: ErrorFacts): Refusal {
  const message = facts.message ?? "";
  const structured = facts.code !== undefined || facts.type !== undefined;
  if (
    (facts.code !== undefined && CREDENTIAL_CODES.has(facts.code)) ||
    (facts.type !== undefined && CREDENTIAL_CODES.has(facts.type)) ||
    (!structured && CREDENTIAL_MESSAGE.test(message))
  )
    return { kind: "credential" };
  if (facts.code === "model_not_found" || MODEL_MESSAGE.test(message))
    return { kind: "permission", scope: "model" };
  if ((facts.code !== undefined && ACCOUNT_CODES.has(facts.code)) || ACCOUNT_MESSAGE.test(message))
    return { kind: "permission", scope: "route" };
  if (status === 401) return { kind: "credential" };
  return { kind: "permission", scope: "model" };
}

const UNIFIED_STATUS = /^anthropic-ratelimit-unified(?:-.+)?-status$/;
const CODEX_ACCOUNT_USED = /^x-codex-(?:primary|secondary)-used-percent$/;

/**
 * The scope a rate limit holds for. Account-wide when the provider says an account window is
 * spent: Codex `usage_limit_reached`, an Anthropic subscription (`anthropic-ratelimit-unified-*`)
 * window `rejected`, a Codex plan window (`x-codex-primary|secondary-*`) at 100 %. Otherwise the
 * model family: OpenAI's `x-ratelimit-*` and Anthropic's API `anthropic-ratelimit-*` limits are
 * per model (class), and a bare `retry-after` names no wider scope.
 */
export function rateLimitScope(headers: ResponseHeaders, facts: ErrorFacts): "route" | "family" {
  if (facts.type === "usage_limit_reached" || facts.code === "usage_limit_reached") return "route";
  for (const [name, value] of lowerCaseHeaders(headers)) {
    if (UNIFIED_STATUS.test(name) && value.trim() === "rejected") return "route";
    if (CODEX_ACCOUNT_USED.test(name) && (nonNegativeNumber(value) ?? 0) >= 100) return "route";
  }
  return "family";
}
