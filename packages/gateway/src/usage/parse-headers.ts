import {
  epochOrDelta,
  isRateLimitHeader,
  nonNegativeNumber,
  rateLimitLookup,
  rfc3339Time,
} from "../routing/header-values.js";
import { parseDuration, type ResponseHeaders } from "../routing/reset-time.js";
import { modelFamily } from "./family.js";
import { ACCOUNT_FAMILY, usedFromCounts, type UsageWindow } from "./snapshot.js";

/** The family of the model the request was for: filled in by the caller. */
export const REQUEST_FAMILY = "";

/** Windows read from one response, grouped by the family they hold for. */
export type ParsedUsage = Map<string, UsageWindow[]>;

/** The header names of one count window, built once: looked up for every response. */
interface CountNames {
  kind: string;
  unit: "requests" | "tokens";
  limit: string;
  remaining: string;
  reset: string;
}

const unitOf = (kind: string): CountNames["unit"] => (kind === "requests" ? "requests" : "tokens");
const OPENAI_NAMES: readonly CountNames[] = ["requests", "tokens"].map((kind) => ({
  kind,
  unit: unitOf(kind),
  limit: `x-ratelimit-limit-${kind}`,
  remaining: `x-ratelimit-remaining-${kind}`,
  reset: `x-ratelimit-reset-${kind}`,
}));
const ANTHROPIC_NAMES: readonly CountNames[] = [
  "requests",
  "tokens",
  "input-tokens",
  "output-tokens",
].map((kind) => ({
  kind,
  unit: unitOf(kind),
  limit: `anthropic-ratelimit-${kind}-limit`,
  remaining: `anthropic-ratelimit-${kind}-remaining`,
  reset: `anthropic-ratelimit-${kind}-reset`,
}));

/**
 * Every rate-limit window the headers of one response describe:
 * - OpenAI `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (resets as `6m0s`, `12ms`) and
 *   the plain `x-ratelimit-{limit,remaining,reset}` of OpenAI-compatible servers: the request's
 *   model family;
 * - Anthropic `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-*` (RFC 3339
 *   resets): the request's model family;
 * - Anthropic subscription `anthropic-ratelimit-unified-*` (status, `5h`/`7d` utilization 0..1,
 *   resets in epoch seconds): the whole account;
 * - Codex `x-codex-{primary,secondary}-{used-percent,window-minutes,reset-at}` (or
 *   `reset-after-seconds`): the whole account; the per-family variants
 *   `x-codex-NAME-primary-*` (with `x-codex-NAME-limit-name` naming the model) hold for that
 *   family.
 */
export function parseUsageHeaders(headers: ResponseHeaders, now: number): ParsedUsage {
  const parsed: ParsedUsage = new Map();
  // Only the rate-limit headers are read (a provider sends a dozen others with every answer).
  const lookup = rateLimitLookup(headers);
  if (lookup === undefined) return parsed;
  const add = (family: string, window: UsageWindow | undefined): void => {
    if (!window) return;
    const list = parsed.get(family) ?? [];
    list.push(window);
    parsed.set(family, list);
  };
  for (const names of OPENAI_NAMES) {
    add(
      REQUEST_FAMILY,
      countWindow(names.kind, names.unit, {
        limit: lookup.get(names.limit),
        remaining: lookup.get(names.remaining),
        reset: durationReset(lookup.get(names.reset), now),
      }),
    );
  }
  if (lookup.has("x-ratelimit-remaining") && lookup.has("x-ratelimit-limit")) {
    add(
      REQUEST_FAMILY,
      countWindow("requests", "requests", {
        limit: lookup.get("x-ratelimit-limit"),
        remaining: lookup.get("x-ratelimit-remaining"),
        reset: epochOrDelta(lookup.get("x-ratelimit-reset"), now),
      }),
    );
  }
  for (const names of ANTHROPIC_NAMES) {
    add(
      REQUEST_FAMILY,
      countWindow(names.kind, names.unit, {
        limit: lookup.get(names.limit),
        remaining: lookup.get(names.remaining),
        reset: rfc3339Time(lookup.get(names.reset)),
      }),
    );
  }
  for (const window of unifiedWindows(lookup)) add(ACCOUNT_FAMILY, window);
  for (const [family, windows] of codexWindows(lookup, now)) {
    for (const window of windows) add(family, window);
  }
  return parsed;
}

function countWindow(
  name: string,
  unit: UsageWindow["unit"],
  values: { limit: string | undefined; remaining: string | undefined; reset: number | undefined },
): UsageWindow | undefined {
  const limit = nonNegativeNumber(values.limit);
  const remaining = nonNegativeNumber(values.remaining);
  if (remaining === undefined) return undefined;
  return {
    name,
    unit,
    remaining,
    usedFraction: limit === undefined ? (remaining > 0 ? 0 : 1) : usedFromCounts(limit, remaining),
    ...(limit === undefined ? {} : { limit }),
    ...(values.reset === undefined ? {} : { resetAt: values.reset }),
  };
}

const UNIFIED_PREFIX = "anthropic-ratelimit-unified-";
const UTILIZATION_SUFFIX = "-utilization";

/** `anthropic-ratelimit-unified-{5h,7d,...}-utilization`, and `status: rejected` as a window. */
function unifiedWindows(lookup: ReadonlyMap<string, string>): UsageWindow[] {
  const prefix = "anthropic-ratelimit-unified";
  const windows: UsageWindow[] = [];
  for (const [name, value] of lookup) {
    // `anthropic-ratelimit-unified-NAME-utilization`, read by position rather than a regex: it
    // runs for every header of every response.
    if (
      name.length <= UNIFIED_PREFIX.length + UTILIZATION_SUFFIX.length ||
      !name.endsWith(UTILIZATION_SUFFIX) ||
      !name.startsWith(UNIFIED_PREFIX)
    )
      continue;
    const window = name.slice(UNIFIED_PREFIX.length, name.length - UTILIZATION_SUFFIX.length);
    let used = nonNegativeNumber(value);
    if (used === undefined) continue;
    // Fractions (0..1) as sent today; a percentage from an older or newer sender still reads.
    if (used > 1) used /= 100;
    const status = lookup.get(`${prefix}-${window}-status`)?.trim();
    const reset = epochSeconds(lookup.get(`${prefix}-${window}-reset`));
    windows.push({
      name: window,
      unit: "usage",
      usedFraction: status === "rejected" ? 1 : Math.min(1, used),
      ...(reset === undefined ? {} : { resetAt: reset }),
    });
  }
  const status = lookup.get(`${prefix}-status`)?.trim();
  if (status !== undefined) {
    const reset = epochSeconds(lookup.get(`${prefix}-reset`));
    // The claim names the binding window: `five_hour`, `seven_day`, `seven_day_opus`, ...
    const claim = lookup
      .get(`${prefix}-representative-claim`)
      ?.trim()
      .replace("five_hour", "5h")
      .replace("seven_day", "7d");
    const bound = windows.find((window) => window.name === claim);
    windows.push({
      name: "unified",
      unit: "usage",
      // `allowed_warning` is the provider's own "nearing the limit": at least 80% used.
      usedFraction:
        status === "rejected"
          ? 1
          : status === "allowed_warning"
            ? Math.max(0.8, bound?.usedFraction ?? 0)
            : (bound?.usedFraction ?? 0),
      ...(reset === undefined ? {} : { resetAt: reset }),
    });
  }
  return windows;
}

/** Codex plan windows, by family: the default `x-codex-*` family is the whole account. */
function codexWindows(
  lookup: ReadonlyMap<string, string>,
  now: number,
): Map<string, UsageWindow[]> {
  const families = new Map<string, UsageWindow[]>();
  const prefixes = new Set<string>();
  for (const name of lookup.keys()) {
    if (!name.endsWith("-used-percent")) continue;
    const match = /^(x-codex(?:-.+?)?)-(?:primary|secondary)-used-percent$/.exec(name);
    if (match?.[1]) prefixes.add(match[1]);
  }
  for (const prefix of prefixes) {
    // `x-codex` is the default `codex` limit, `x-codex-NAME` the `codex-NAME` one.
    const family = codexFamily(
      prefix.slice("x-".length),
      lookup.get(`${prefix}-limit-name`)?.trim(),
    );
    const windows: UsageWindow[] = [];
    for (const slot of ["primary", "secondary"] as const) {
      const window = codexWindow(
        slot,
        {
          usedPercent: nonNegativeNumber(lookup.get(`${prefix}-${slot}-used-percent`)),
          windowMinutes: nonNegativeNumber(lookup.get(`${prefix}-${slot}-window-minutes`)),
          resetsAt: nonNegativeNumber(lookup.get(`${prefix}-${slot}-reset-at`)),
          resetsInSeconds: nonNegativeNumber(lookup.get(`${prefix}-${slot}-reset-after-seconds`)),
        },
        now,
      );
      if (window) windows.push(window);
    }
    if (windows.length) families.set(family, windows);
  }
  return families;
}

/**
 * The family a Codex limit holds for: the default `codex` limit is the whole account, a named
 * one the family of the model its name gives, else its own id (`codex-NAME`).
 */
export function codexFamily(limitId: string, limitName: string | undefined): string {
  return limitId === "codex" ? ACCOUNT_FAMILY : limitName ? modelFamily(limitName) : limitId;
}

/** One Codex limit window's numbers, as headers or a session file give them. */
export interface CodexWindowValues {
  usedPercent: number | undefined;
  windowMinutes: number | undefined;
  /** The reset in epoch seconds; wins over `resetsInSeconds`. */
  resetsAt: number | undefined;
  /** The reset in seconds from `now`. */
  resetsInSeconds: number | undefined;
}

/**
 * A Codex plan window: used percent as a fraction (clamped to 0..1), named by its length
 * (`5h`, `7d`) when known, else by its slot; undefined without a used percent.
 */
export function codexWindow(
  slot: string,
  values: CodexWindowValues,
  now: number,
): UsageWindow | undefined {
  const { usedPercent, windowMinutes: minutes, resetsAt, resetsInSeconds } = values;
  if (usedPercent === undefined) return undefined;
  const resetAt =
    resetsAt !== undefined
      ? resetsAt * 1000
      : resetsInSeconds !== undefined
        ? now + resetsInSeconds * 1000
        : undefined;
  return {
    name: minutes === undefined ? slot : windowLabel(minutes),
    unit: "usage",
    usedFraction: Math.min(1, Math.max(0, usedPercent / 100)),
    ...(resetAt === undefined ? {} : { resetAt }),
    ...(minutes === undefined ? {} : { windowMs: minutes * 60_000 }),
  };
}

/** `300` minutes -> `5h`, `10080` -> `7d`, `60` -> `1h`, `45` -> `45m`. */
export function windowLabel(minutes: number): string {
  if (minutes >= 1440 && minutes % 1440 <= 3) return `${Math.round(minutes / 1440)}d`;
  if (minutes >= 60 && minutes % 60 <= 3) return `${Math.round(minutes / 60)}h`;
  return `${Math.round(minutes)}m`;
}

function durationReset(value: string | undefined, now: number): number | undefined {
  const duration = value === undefined ? undefined : parseDuration(value);
  return duration === undefined ? undefined : now + duration;
}

function epochSeconds(value: string | undefined): number | undefined {
  const seconds = nonNegativeNumber(value);
  return seconds === undefined ? undefined : seconds * 1000;
}

/** Whether headers carry anything the usage parser reads (a cheap test for the hot path). */
export function hasUsageHeaders(headers: ResponseHeaders): boolean {
  for (const name in headers) {
    if (isRateLimitHeader(name.toLowerCase())) return true;
  }
  return false;
}
