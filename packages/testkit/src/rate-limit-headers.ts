/** One OpenAI limit: `resetMs` becomes a duration such as `6m0s` or `12ms`. */
export interface OpenAiLimit {
  limit: number;
  remaining: number;
  resetMs: number;
}

/** One Anthropic limit: `reset` becomes an RFC 3339 timestamp. */
export interface AnthropicLimit {
  limit: number;
  remaining: number;
  reset: Date;
}

/** Anthropic subscription ("unified") limits, as Claude Code logins see them. */
export interface AnthropicUnifiedLimit {
  status: "allowed" | "allowed_warning" | "rejected";
  /** Fractions from 0 to 1. */
  fiveHourUtilization?: number;
  sevenDayUtilization?: number;
  /** When the binding window resets. */
  reset: Date;
  fiveHourReset?: Date;
  sevenDayReset?: Date;
  representativeClaim?: "five_hour" | "seven_day";
}

/** One Codex usage window. */
export interface CodexWindow {
  usedPercent: number;
  windowMinutes: number;
  resetAt: Date;
}

/** Formats milliseconds the way OpenAI's `x-ratelimit-reset-*` headers do: `12ms`, `1.5s`, `6m0s`, `1h2m3s`. */
export function formatOpenAiDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.round(milliseconds));
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Number(((ms % 60_000) / 1000).toFixed(3));
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

const epochSeconds = (date: Date): string => String(Math.floor(date.getTime() / 1000));
const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** OpenAI `x-ratelimit-*` headers for requests and/or tokens. */
export function openAiRateLimitHeaders(limits: {
  requests?: OpenAiLimit;
  tokens?: OpenAiLimit;
}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [kind, limit] of [
    ["requests", limits.requests],
    ["tokens", limits.tokens],
  ] as const) {
    if (!limit) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(limit.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(limit.remaining);
    headers[`x-ratelimit-reset-${kind}`] = formatOpenAiDuration(limit.resetMs);
  }
  return headers;
}

/** Anthropic `anthropic-ratelimit-*` headers, per-limit and unified. */
export function anthropicRateLimitHeaders(limits: {
  requests?: AnthropicLimit;
  tokens?: AnthropicLimit;
  inputTokens?: AnthropicLimit;
  outputTokens?: AnthropicLimit;
  unified?: AnthropicUnifiedLimit;
}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [kind, limit] of [
    ["requests", limits.requests],
    ["tokens", limits.tokens],
    ["input-tokens", limits.inputTokens],
    ["output-tokens", limits.outputTokens],
  ] as const) {
    if (!limit) continue;
    headers[`anthropic-ratelimit-${kind}-limit`] = String(limit.limit);
    headers[`anthropic-ratelimit-${kind}-remaining`] = String(limit.remaining);
    headers[`anthropic-ratelimit-${kind}-reset`] = rfc3339(limit.reset);
  }
  const unified = limits.unified;
  if (unified) {
    const prefix = "anthropic-ratelimit-unified";
    headers[`${prefix}-status`] = unified.status;
    headers[`${prefix}-reset`] = epochSeconds(unified.reset);
    if (unified.fiveHourUtilization !== undefined) {
      headers[`${prefix}-5h-utilization`] = String(unified.fiveHourUtilization);
      headers[`${prefix}-5h-reset`] = epochSeconds(unified.fiveHourReset ?? unified.reset);
    }
    if (unified.sevenDayUtilization !== undefined) {
      headers[`${prefix}-7d-utilization`] = String(unified.sevenDayUtilization);
      headers[`${prefix}-7d-reset`] = epochSeconds(unified.sevenDayReset ?? unified.reset);
    }
    if (unified.representativeClaim !== undefined) {
      headers[`${prefix}-representative-claim`] = unified.representativeClaim;
    }
  }
  return headers;
}

/** Codex `x-codex-primary-*` / `x-codex-secondary-*` usage headers. */
export function codexRateLimitHeaders(windows: {
  primary?: CodexWindow;
  secondary?: CodexWindow;
}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, window] of [
    ["primary", windows.primary],
    ["secondary", windows.secondary],
  ] as const) {
    if (!window) continue;
    headers[`x-codex-${name}-used-percent`] = String(window.usedPercent);
    headers[`x-codex-${name}-window-minutes`] = String(window.windowMinutes);
    headers[`x-codex-${name}-reset-at`] = epochSeconds(window.resetAt);
  }
  return headers;
}
