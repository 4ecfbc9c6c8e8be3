/**
 * One rate-limit window of a profile (or any route): how much of it is used and when it resets.
 * Every signal (OpenAI and Anthropic headers, Anthropic unified and Codex plan headers, Codex
 * session files, local counters) is reduced to these.
 */
export interface UsageWindow {
  /** `requests`, `tokens`, `input-tokens`, `5h`, `7d`, `primary`, `requests/min`, ... */
  name: string;
  /** What it counts; only `tokens` windows can refuse a request for its estimated size. */
  unit: "requests" | "tokens" | "usage";
  limit?: number;
  remaining?: number;
  /** 0 (untouched) to 1 (exhausted). */
  usedFraction: number;
  /** Epoch ms when the window starts over. */
  resetAt?: number;
  /** The window's length, when known (Codex `window-minutes`, local limits). */
  windowMs?: number;
}

/** Where a snapshot's numbers come from. */
export type UsageSource = "headers" | "codex-session" | "local";

/** Everything known of one route's limits for one model family (or `*`: the whole account). */
export interface UsageSnapshot {
  route: string;
  family: string;
  source: UsageSource;
  /** Windows by name; a partial update replaces only the windows it carries. */
  windows: Record<string, UsageWindow>;
  /** Epoch ms of the newest update. */
  updatedAt: number;
}

/** The family key of windows that hold for every model of an account (plans, unified limits). */
export const ACCOUNT_FAMILY = "*";

export const snapshotKey = (route: string, family: string): string =>
  `usage:snap:${route}|${family}`;
export const SNAPSHOT_PREFIX = "usage:snap:";
/** How long a snapshot stays in the Store after its last write (its windows expire sooner). */
export const SNAPSHOT_KEEP_MS = 8 * 86_400_000;

/** Merges a partial update into a snapshot: its windows win, windows past their reset go. */
export function mergeSnapshot(
  previous: UsageSnapshot | undefined,
  update: UsageSnapshot,
  now: number,
): UsageSnapshot {
  if (!previous) return update;
  const windows: Record<string, UsageWindow> = {};
  for (const [name, window] of Object.entries(previous.windows)) {
    if (window.resetAt === undefined || window.resetAt > now) windows[name] = window;
  }
  Object.assign(windows, update.windows);
  return {
    ...previous,
    ...update,
    windows,
    updatedAt: Math.max(previous.updatedAt, update.updatedAt),
  };
}

/** A window as it stands at `now`: once its reset passed it is whole again. */
export function currentWindow(window: UsageWindow, now: number): UsageWindow {
  if (window.resetAt === undefined || window.resetAt > now) return window;
  return {
    name: window.name,
    unit: window.unit,
    usedFraction: 0,
    ...(window.limit === undefined ? {} : { limit: window.limit, remaining: window.limit }),
    ...(window.windowMs === undefined ? {} : { windowMs: window.windowMs }),
  };
}

/** Whether a snapshot is too old to decide anything (`usage.snapshot_ttl_s`). */
export function isStale(snapshot: UsageSnapshot, now: number, ttlMs: number): boolean {
  return now - snapshot.updatedAt > ttlMs;
}

/**
 * The windows of a snapshot that still say something at `now`. Past its TTL a snapshot is
 * stale: a window without a known reset may have started over and is dropped, while a window
 * whose reset is still ahead keeps counting as "at least this much used" (usage within a window
 * only grows, whoever else spends it).
 */
export function trustedWindows(snapshot: UsageSnapshot, now: number, ttlMs: number): UsageWindow[] {
  const windows = Object.values(snapshot.windows);
  if (!isStale(snapshot, now, ttlMs)) return windows;
  return windows.filter((window) => window.resetAt !== undefined && window.resetAt > now);
}

/** What the windows of one route add up to for a request. */
export interface Headroom {
  /** The smallest share left over all windows (1 when nothing is known). */
  fraction: number;
  /** The window with the least left. */
  binding: UsageWindow | undefined;
  /** The fewest tokens left in any token window with a known remaining count. */
  tokensLeft: number | undefined;
  /** The token window with `tokensLeft`. */
  tokenWindow: UsageWindow | undefined;
  /** Whether anything at all is known. */
  known: boolean;
}

/** Reduces windows to the numbers the switch rule needs. */
export function headroomOf(windows: readonly UsageWindow[], now: number): Headroom {
  const headroom: Headroom = {
    fraction: 1,
    binding: undefined,
    tokensLeft: undefined,
    tokenWindow: undefined,
    known: windows.length > 0,
  };
  for (const raw of windows) {
    const window = currentWindow(raw, now);
    // Rounded so 10 of 100 left is exactly 10%, not 9.999...% (a threshold must hold exactly).
    const left = Math.round(Math.min(1, Math.max(0, 1 - window.usedFraction)) * 1e9) / 1e9;
    if (headroom.binding === undefined || left < headroom.fraction) {
      headroom.fraction = left;
      headroom.binding = window;
    }
    if (window.unit === "tokens" && window.remaining !== undefined) {
      if (headroom.tokensLeft === undefined || window.remaining < headroom.tokensLeft) {
        headroom.tokensLeft = window.remaining;
        headroom.tokenWindow = window;
      }
    }
  }
  return headroom;
}

/** `usedFraction` from a limit and a remaining count. */
export function usedFromCounts(limit: number, remaining: number): number {
  if (!(limit > 0)) return remaining > 0 ? 0 : 1;
  return Math.round(Math.min(1, Math.max(0, 1 - remaining / limit)) * 1e9) / 1e9;
}

/** A snapshot with one request (and its estimated tokens) taken off the known remaining counts. */
export function spend(snapshot: UsageSnapshot, tokens: number, now: number): UsageSnapshot {
  const windows: Record<string, UsageWindow> = {};
  for (const [name, window] of Object.entries(snapshot.windows)) {
    const amount = window.unit === "requests" ? 1 : window.unit === "tokens" ? tokens : 0;
    if (window.remaining === undefined || amount <= 0 || (window.resetAt ?? now + 1) <= now) {
      windows[name] = window;
      continue;
    }
    const remaining = Math.max(0, window.remaining - amount);
    windows[name] = {
      ...window,
      remaining,
      usedFraction:
        window.limit === undefined
          ? window.usedFraction
          : Math.min(1, Math.max(0, 1 - remaining / window.limit)),
    };
  }
  return { ...snapshot, windows };
}
