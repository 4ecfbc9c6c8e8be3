import type { Store } from "../store/store.js";
import { localWindow, takeLocalLimits, type LocalLimit } from "./local-limits.js";
import { spend, type UsageSnapshot, type UsageWindow } from "./snapshot.js";
import type { SnapshotWriter } from "./snapshot-writer.js";
import type { UsageRefusal, UsageRoute } from "./usage-settings.js";

/** What a reservation reads and writes: the monitor's Store, limits, writer and cache. */
export interface ReservationDeps {
  store: Store;
  limits: ReadonlyMap<string, LocalLimit[]>;
  writer: SnapshotWriter;
  now: () => number;
  /** Puts a value just read or written into the monitor's cache. */
  remember: (key: string, value: unknown) => void;
}

/**
 * The Store-backed half of `UsageMonitor.reserve`: counts the request against the profile's
 * declared local limits (atomic across processes) and, near the switch threshold, spends it from
 * the shared snapshot atomically, refusing the route when a window has nothing left.
 */
export async function reserveCounted(
  deps: ReservationDeps,
  route: UsageRoute,
  estimatedTokens: number,
  snapshotToSpend: string | undefined,
): Promise<UsageRefusal | undefined> {
  const now = deps.now();
  const profile = route.credential.profile;
  const declared = profile === undefined ? undefined : deps.limits.get(profile);
  const reached =
    profile !== undefined && declared !== undefined
      ? await takeLocalLimits(deps.store, profile, declared, estimatedTokens, now, deps.remember)
      : undefined;
  if (reached) {
    const window = localWindow(reached, reached.limit, now);
    return {
      reason: `usage: ${profile ?? route.id} reached its declared ${reached.name} limit (${reached.limit})`,
      ...(window.resetAt === undefined ? {} : { until: window.resetAt }),
    };
  }
  if (snapshotToSpend !== undefined) {
    // Whatever this process had queued for the snapshot goes first, then the spend.
    await deps.writer.flushNow(snapshotToSpend);
    // Near the threshold the Store's numbers decide, atomically: another process may have
    // taken the last request of a window since this one read it, and then this route is
    // refused here instead of by the provider's 429.
    const outcome: { refusal?: UsageRefusal } = {};
    const stored = await deps.store.update<UsageSnapshot>(snapshotToSpend, (current) => {
      delete outcome.refusal;
      if (!current) return current;
      const spent = spentWindow(current, estimatedTokens, now);
      if (!spent) return spend(current, estimatedTokens, now);
      outcome.refusal = {
        reason: `usage: ${route.credential.profile ?? route.id} has no ${spent.name} left in its window (shared state)`,
        ...(spent.resetAt === undefined ? {} : { until: spent.resetAt }),
      };
      return current;
    });
    deps.remember(snapshotToSpend, stored);
    return outcome.refusal;
  }
  return undefined;
}

/** A window of the snapshot with nothing left for one more request of `tokens`, if any. */
function spentWindow(
  snapshot: UsageSnapshot,
  tokens: number,
  now: number,
): UsageWindow | undefined {
  for (const name in snapshot.windows) {
    const window = snapshot.windows[name];
    if (!window || window.remaining === undefined) continue;
    if (window.resetAt !== undefined && window.resetAt <= now) continue;
    if (window.unit === "requests" && window.remaining <= 0) return window;
    if (window.unit === "tokens" && (window.remaining <= 0 || tokens > window.remaining))
      return window;
  }
  return undefined;
}
