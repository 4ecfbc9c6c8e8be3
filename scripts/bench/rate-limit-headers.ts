// The rate-limit headers a hosted provider sends on every answer, for the bench upstreams. Limits
// are large (a bench run never nears them) and remaining counts go down per key, so the gateway's
// usage heartbeat reads a fresh set on every response, as it does in front of a real provider.

/** `openai`: `x-ratelimit-*`; `anthropic`: `anthropic-ratelimit-*` plus `unified-*`; `none`. */
export type HeaderSet = "openai" | "anthropic" | "none";

const REQUEST_LIMIT = 100_000_000;
const TOKEN_LIMIT = 2_000_000_000;

let cachedSecond = -1;
let cachedTimes = { minuteReset: "", minuteIso: "", fiveHourEpoch: "", weekEpoch: "" };

/** Reset values change once a second: computed then, not per response. */
function times(now: number): typeof cachedTimes {
  const second = Math.floor(now / 1000);
  if (second === cachedSecond) return cachedTimes;
  cachedSecond = second;
  const minuteEnd = Math.ceil((now + 1) / 60_000) * 60_000;
  cachedTimes = {
    minuteReset: `${((minuteEnd - now) / 1000).toFixed(3)}s`,
    minuteIso: new Date(minuteEnd).toISOString().replace(/\.\d+Z$/, "Z"),
    fiveHourEpoch: String(Math.ceil(now / 18_000_000) * 18_000),
    weekEpoch: String(Math.ceil(now / 604_800_000) * 604_800),
  };
  return cachedTimes;
}

/** The headers of the `seen`-th answer to one key. */
export function rateLimitHeaders(
  set: HeaderSet,
  seen: number,
  now: number,
): Record<string, string> {
  if (set === "none") return {};
  const at = times(now);
  const requestsLeft = String(REQUEST_LIMIT - (seen % REQUEST_LIMIT));
  const tokensLeft = String(TOKEN_LIMIT - ((seen * 6) % TOKEN_LIMIT));
  if (set === "openai") {
    return {
      "openai-organization": "user-bench",
      "openai-processing-ms": "12",
      "openai-project": "proj_bench",
      "openai-version": "2020-10-01",
      "x-request-id": `req_${seen.toString(16).padStart(24, "0")}`,
      "x-ratelimit-limit-requests": String(REQUEST_LIMIT),
      "x-ratelimit-limit-tokens": String(TOKEN_LIMIT),
      "x-ratelimit-remaining-requests": requestsLeft,
      "x-ratelimit-remaining-tokens": tokensLeft,
      "x-ratelimit-reset-requests": "6ms",
      "x-ratelimit-reset-tokens": at.minuteReset,
    };
  }
  const utilization = ((seen % 1000) / 10_000).toFixed(4);
  return {
    "request-id": `req_${seen.toString(16).padStart(24, "0")}`,
    "anthropic-organization-id": "00000000-0000-4000-8000-000000000000",
    "anthropic-ratelimit-requests-limit": String(REQUEST_LIMIT),
    "anthropic-ratelimit-requests-remaining": requestsLeft,
    "anthropic-ratelimit-requests-reset": at.minuteIso,
    "anthropic-ratelimit-tokens-limit": String(TOKEN_LIMIT),
    "anthropic-ratelimit-tokens-remaining": tokensLeft,
    "anthropic-ratelimit-tokens-reset": at.minuteIso,
    "anthropic-ratelimit-input-tokens-limit": String(TOKEN_LIMIT),
    "anthropic-ratelimit-input-tokens-remaining": tokensLeft,
    "anthropic-ratelimit-input-tokens-reset": at.minuteIso,
    "anthropic-ratelimit-output-tokens-limit": String(TOKEN_LIMIT / 5),
    "anthropic-ratelimit-output-tokens-remaining": String(TOKEN_LIMIT / 5 - (seen % 1000)),
    "anthropic-ratelimit-output-tokens-reset": at.minuteIso,
    "anthropic-ratelimit-unified-status": "allowed",
    "anthropic-ratelimit-unified-5h-status": "allowed",
    "anthropic-ratelimit-unified-5h-reset": at.fiveHourEpoch,
    "anthropic-ratelimit-unified-5h-utilization": utilization,
    "anthropic-ratelimit-unified-7d-status": "allowed",
    "anthropic-ratelimit-unified-7d-reset": at.weekEpoch,
    "anthropic-ratelimit-unified-7d-utilization": utilization,
    "anthropic-ratelimit-unified-representative-claim": "five_hour",
    "anthropic-ratelimit-unified-fallback-percentage": "0.5",
    "anthropic-ratelimit-unified-reset": at.fiveHourEpoch,
    "anthropic-ratelimit-unified-overage-status": "rejected",
    "anthropic-ratelimit-unified-overage-disabled-reason": "org_level_disabled",
  };
}
