import type { z } from "zod";
import type { profileLimitsSchema } from "../config-schema.js";
import type { Store } from "../store/store.js";
import type { UsageWindow } from "./snapshot.js";

/** `[profiles.NAME.limits]`: limits a profile's provider does not announce in headers. */
export type ProfileLimits = z.infer<typeof profileLimitsSchema>;

/** One declared limit, counted locally in fixed windows aligned to the epoch. */
export interface LocalLimit {
  name: string;
  unit: "requests" | "tokens";
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The declared limits of a profile, in a fixed order. */
export function localLimits(limits: ProfileLimits | undefined): LocalLimit[] {
  if (!limits) return [];
  const declared: [keyof ProfileLimits, string, LocalLimit["unit"], number][] = [
    ["requests_per_minute", "requests/min", "requests", MINUTE],
    ["requests_per_day", "requests/day", "requests", DAY],
    ["tokens_per_minute", "tokens/min", "tokens", MINUTE],
    ["tokens_per_5h", "tokens/5h", "tokens", 5 * HOUR],
    ["tokens_per_week", "tokens/week", "tokens", 7 * DAY],
  ];
  const found: LocalLimit[] = [];
  for (const [key, name, unit, windowMs] of declared) {
    const limit = limits[key];
    if (limit !== undefined) found.push({ name, unit, limit, windowMs });
  }
  return found;
}

/** Start of the window holding `now`; windows are fixed so every process agrees on them. */
export function windowStart(limit: LocalLimit, now: number): number {
  return Math.floor(now / limit.windowMs) * limit.windowMs;
}

/** The Store counter of a profile's limit in the window holding `now`. */
export function counterKey(profile: string, limit: LocalLimit, now: number): string {
  return `usage:count:${profile}:${limit.name}:${windowStart(limit, now)}`;
}

/** A counter read as a usage window. */
export function localWindow(limit: LocalLimit, used: number, now: number): UsageWindow {
  const remaining = Math.max(0, limit.limit - used);
  return {
    name: limit.name,
    unit: limit.unit,
    limit: limit.limit,
    remaining,
    usedFraction: Math.min(1, used / limit.limit),
    resetAt: windowStart(limit, now) + limit.windowMs,
    windowMs: limit.windowMs,
  };
}

/**
 * Counts one request against a profile's declared limits (atomic across processes): an increment
 * that goes over a limit is taken back, with every increment before it, and the limit returned.
 * `remember` sees each counter's new value.
 */
export async function takeLocalLimits(
  store: Store,
  profile: string,
  declared: readonly LocalLimit[],
  estimatedTokens: number,
  now: number,
  remember: (key: string, count: number) => void,
): Promise<LocalLimit | undefined> {
  const taken: { key: string; amount: number; limit: LocalLimit }[] = [];
  for (const limit of declared) {
    const amount = limit.unit === "requests" ? 1 : Math.max(0, Math.round(estimatedTokens));
    if (amount === 0) continue;
    const key = counterKey(profile, limit, now);
    const count = await store.increment(key, amount, limit.windowMs * 2);
    taken.push({ key, amount, limit });
    remember(key, count);
    if (count > limit.limit) {
      for (const done of taken)
        remember(done.key, await store.increment(done.key, -done.amount, done.limit.windowMs * 2));
      return limit;
    }
  }
  return undefined;
}

/** Corrects a profile's token counters by what a request really used against its estimate. */
export async function correctLocalTokens(
  store: Store,
  profile: string,
  declared: readonly LocalLimit[],
  correction: number,
  now: number,
  remember: (key: string, count: number) => void,
): Promise<void> {
  if (correction === 0) return;
  for (const limit of declared) {
    if (limit.unit !== "tokens") continue;
    const key = counterKey(profile, limit, now);
    remember(key, await store.increment(key, correction, limit.windowMs * 2));
  }
}
