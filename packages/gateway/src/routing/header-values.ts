/**
 * Response headers as Node and undici hand them over: lower- or mixed-case names, a value that
 * may repeat (an array) or be absent.
 */
export type ResponseHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A plain non-negative decimal: `12`, `0.5`; no sign, exponent or unit. */
export const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;
// RFC 3339 needs a full date and a time; Date.parse alone accepts "1" or "May" as dates.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;
// Epoch values at or above this are milliseconds (year 2001 in ms; year 33658 in seconds).
const EPOCH_MS_FLOOR = 1e12;
// Epoch values at or above this are seconds (2001-09-09); below, a delta in seconds.
const EPOCH_S_FLOOR = 1e9;

/** The header names as lower case, each with its first value. */
export function lowerCaseHeaders(headers: ResponseHeaders): Map<string, string> {
  const lookup = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const first = typeof value === "string" ? value : value?.[0];
    if (first !== undefined) lookup.set(name.toLowerCase(), first);
  }
  return lookup;
}

/**
 * The rate-limit headers only (`isRateLimitHeader`), names lower case, each with its first
 * value; undefined when there are none. One pass over the names: every response of a provider
 * goes through it, and the other headers are never copied.
 */
export function rateLimitLookup(headers: ResponseHeaders): Map<string, string> | undefined {
  let lookup: Map<string, string> | undefined;
  for (const name in headers) {
    const first = name.charCodeAt(0) | 0x20;
    if (first !== 0x78 /* x */ && first !== 0x61 /* a */) continue;
    const lower = name.toLowerCase();
    if (!isRateLimitHeader(lower)) continue;
    const value = headers[name];
    const text = typeof value === "string" ? value : value?.[0];
    if (text !== undefined) (lookup ??= new Map()).set(lower, text);
  }
  return lookup;
}

/**
 * Whether a lower-case header name is a rate-limit header: `x-ratelimit-*`,
 * `anthropic-ratelimit-*` or `x-codex-*`. Runs for every upstream header: one char test first.
 */
export function isRateLimitHeader(name: string): boolean {
  const first = name.charCodeAt(0);
  if (first === 0x78 /* x */) return name.startsWith("x-ratelimit-") || name.startsWith("x-codex-");
  if (first === 0x61 /* a */) return name.startsWith("anthropic-ratelimit-");
  return false;
}

/** A plain non-negative number (surrounding whitespace allowed), or undefined. */
export function nonNegativeNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!PLAIN_NUMBER.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

/** `Date.parse`, or undefined when it does not give a finite time. */
export function finiteDate(value: string): number | undefined {
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : undefined;
}

/** The last RFC 3339 text parsed and its time: see `rfc3339Time`. */
let lastRfc3339: { text: string; time: number | undefined } = { text: "", time: undefined };

/**
 * An RFC 3339 date-time (surrounding whitespace allowed) in epoch ms, or undefined. Anthropic
 * sends the same reset time in four headers of every response and it changes about once a
 * minute, so the last text's result is reused instead of a regex test and `Date.parse` each.
 */
export function rfc3339Time(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === lastRfc3339.text) return lastRfc3339.time;
  const trimmed = value.trim();
  const time = RFC3339.test(trimmed) ? finiteDate(trimmed) : undefined;
  lastRfc3339 = { text: value, time };
  return time;
}

/**
 * A reset as epoch ms from epoch ms, epoch seconds or a delta in seconds, told apart by size:
 * `x-ratelimit-reset` is epoch seconds in most APIs, epoch ms in some, a delta in a few.
 */
export function epochOrDelta(value: string | undefined, now: number): number | undefined {
  const number = nonNegativeNumber(value);
  if (number === undefined) return undefined;
  if (number >= EPOCH_MS_FLOOR) return number;
  if (number >= EPOCH_S_FLOOR) return number * 1000;
  return now + number * 1000;
}
