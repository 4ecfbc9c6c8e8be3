import type { PoolStanding } from "./pool-order.js";
import type { UsageSnapshot } from "./snapshot.js";

/**
 * What `check` last concluded of a route for one model family, for `order` (keyed by family too,
 * so requests for two families on one profile, routed at the same time, each order their pool by
 * their own family's headroom), and the values it came from.
 */
export interface Slot {
  /** The route's own snapshot, the account's, and its pool's pointer. */
  keys: readonly string[];
  profile: string | undefined;
  /** Whether the profile has declared limits (counted locally: never reused). */
  counted: boolean;
  standing?: PoolStanding;
  own?: UsageSnapshot | undefined;
  account?: UsageSnapshot | undefined;
  /** The standing holds until then (a window's reset, a snapshot going stale). */
  validUntil: number;
}

/** When the headroom of these snapshots next changes by itself: a reset, or going stale. */
export function validUntil(
  snapshots: readonly (UsageSnapshot | undefined)[],
  now: number,
  ttlMs: number,
): number {
  let until = Number.POSITIVE_INFINITY;
  for (const snapshot of snapshots) {
    if (!snapshot) continue;
    const stale = snapshot.updatedAt + ttlMs + 1;
    if (stale > now && stale < until) until = stale;
    for (const name in snapshot.windows) {
      const resetAt = snapshot.windows[name]?.resetAt;
      if (resetAt !== undefined && resetAt > now && resetAt < until) until = resetAt;
    }
  }
  return until;
}
