import {
  epochOrDelta,
  finiteDate,
  lowerCaseHeaders,
  nonNegativeNumber,
  PLAIN_NUMBER,
  rfc3339Time,
  type ResponseHeaders,
} from "./header-values.js";

export type { ResponseHeaders } from "./header-values.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const DURATION = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)/;
// HTTP-date (IMF-fixdate and the obsolete RFC 850 / asctime forms) always names a month.
const HTTP_DATE = /^[A-Za-z]{3},? |^[A-Za-z]+day, /;

/**
 * A Go-style duration as OpenAI sends in `x-ratelimit-reset-*`: `6m0s`, `1s`, `12ms`,
 * `1h2m3.5s`. A bare number is read as seconds, which some OpenAI-compatible servers send.
 * Returns milliseconds, or undefined when the text is not a duration (never NaN).
 */
export function parseDuration(text: string): number | undefined {
  let rest = text.trim();
  if (rest === "") return undefined;
  if (PLAIN_NUMBER.test(rest)) return Number(rest) * 1000;
  let total = 0;
  while (rest.length > 0) {
    const match = DURATION.exec(rest);
    if (!match) return undefined;
    const token = match[0];
    const unit = /[a-zµμ]+$/.exec(token)?.[0] ?? "";
    const scale = UNIT_MS[unit];
    if (scale === undefined) return undefined;
    total += Number(token.slice(0, token.length - unit.length)) * scale;
    rest = rest.slice(token.length);
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * When a rate-limited route can be used again, in epoch milliseconds, from the provider's
 * headers; undefined when none parses (the caller then applies a default cooldown).
 *
 * `retry-after-ms` and `retry-after` are the provider's direct answer and win. Otherwise each
 * limit window's reset is collected (OpenAI `x-ratelimit-reset-requests|tokens` durations,
 * Anthropic `anthropic-ratelimit-*-reset` RFC 3339 times, `anthropic-ratelimit-unified-*reset`
 * and `x-codex-*-reset-at` epoch seconds, `x-codex-*-reset-after-seconds`, plain
 * `x-ratelimit-reset`), and the latest reset among the windows known to be exhausted is
 * returned. When no window is known to be exhausted (no remaining/status/used-percent header
 * says so), the latest reset of all is returned: waiting too long on one route is cheaper than
 * hammering it while it still refuses. Never earlier than `now`.
 */
export function parseResetTime(headers: ResponseHeaders, now: number): number | undefined {
  const lookup = lowerCaseHeaders(headers);
  const direct = retryAfter(lookup, now);
  if (direct !== undefined) return Math.max(now, direct);

  const windows: ResetWindow[] = [];
  for (const [name, value] of lookup) {
    const window = resetWindow(name, value, lookup, now);
    if (window) windows.push(window);
  }
  if (windows.length === 0) return undefined;
  const exhausted = windows.filter((window) => window.exhausted);
  const chosen = exhausted.length > 0 ? exhausted : windows;
  return Math.max(now, ...chosen.map((window) => window.resetAt));
}

interface ResetWindow {
  resetAt: number;
  exhausted: boolean;
}

function retryAfter(lookup: ReadonlyMap<string, string>, now: number): number | undefined {
  const milliseconds = nonNegativeNumber(lookup.get("retry-after-ms"));
  if (milliseconds !== undefined) return now + milliseconds;
  const value = lookup.get("retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  const seconds = nonNegativeNumber(value);
  if (seconds !== undefined) return now + seconds * 1000;
  return HTTP_DATE.test(value) ? finiteDate(value) : undefined;
}

function resetWindow(
  name: string,
  value: string,
  lookup: ReadonlyMap<string, string>,
  now: number,
): ResetWindow | undefined {
  // OpenAI: x-ratelimit-reset-requests: 6m0s, paired with x-ratelimit-remaining-requests.
  let match = /^x-ratelimit-reset-(.+)$/.exec(name);
  if (match) {
    const duration = parseDuration(value);
    if (duration === undefined) return undefined;
    return {
      resetAt: now + duration,
      exhausted: remainingIsZero(lookup.get(`x-ratelimit-remaining-${match[1] ?? ""}`)),
    };
  }
  if (name === "x-ratelimit-reset") {
    const resetAt = epochOrDelta(value, now);
    if (resetAt === undefined) return undefined;
    return { resetAt, exhausted: remainingIsZero(lookup.get("x-ratelimit-remaining")) };
  }
  // Anthropic unified (subscription) limits: epoch seconds, status `rejected` when exhausted.
  match = /^anthropic-ratelimit-unified(-.+)?-reset$/.exec(name);
  if (match) {
    const seconds = nonNegativeNumber(value);
    if (seconds === undefined) return undefined;
    const status = lookup.get(`anthropic-ratelimit-unified${match[1] ?? ""}-status`);
    return { resetAt: seconds * 1000, exhausted: status?.trim() === "rejected" };
  }
  // Anthropic API limits: anthropic-ratelimit-input-tokens-reset: 2025-10-01T12:00:00Z.
  match = /^anthropic-ratelimit-(.+)-reset$/.exec(name);
  if (match) {
    const resetAt = rfc3339Time(value);
    if (resetAt === undefined) return undefined;
    return {
      resetAt,
      exhausted: remainingIsZero(lookup.get(`anthropic-ratelimit-${match[1] ?? ""}-remaining`)),
    };
  }
  // Codex (ChatGPT plan) windows: x-codex-primary-reset-at (epoch s) or -reset-after-seconds.
  match = /^x-codex-(.+)-reset-(at|after-seconds)$/.exec(name);
  if (match) {
    const seconds = nonNegativeNumber(value);
    if (seconds === undefined) return undefined;
    const usedPercent = nonNegativeNumber(lookup.get(`x-codex-${match[1] ?? ""}-used-percent`));
    return {
      resetAt: match[2] === "at" ? seconds * 1000 : now + seconds * 1000,
      exhausted: usedPercent !== undefined && usedPercent >= 100,
    };
  }
  return undefined;
}

function remainingIsZero(value: string | undefined): boolean {
  return nonNegativeNumber(value) === 0;
}
