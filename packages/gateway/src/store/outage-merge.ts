import { BREAKER_PREFIX, COOLDOWN_PREFIX, type Cooldown } from "../routing/route-state.js";
import type { BreakerState } from "../routing/breaker.js";
import { SNAPSHOT_PREFIX, type UsageSnapshot } from "../usage/snapshot.js";
import type { OutageMerge } from "./resilient-store.js";

/**
 * How a gateway's state written during a Store outage joins what other replicas wrote meanwhile:
 * a cooldown holds until the later of the two ends (neither replica's 429 is forgotten), an open
 * breaker stays open (the later opening wins), a usage snapshot is the newer one; anything else
 * (pool pointers, latency, stickiness) is this process's newer value.
 */
export const mergeOutageState: OutageMerge = (key, ours, theirs) => {
  if (theirs === undefined || theirs === null) return ours;
  if (key.startsWith(COOLDOWN_PREFIX)) {
    return (theirs as Cooldown).until > (ours as Cooldown).until ? theirs : ours;
  }
  if (key.startsWith(BREAKER_PREFIX)) {
    const mine = ours as BreakerState;
    const other = theirs as BreakerState;
    if (
      other.state === "open" &&
      (mine.state !== "open" || (other.openedAt ?? 0) > (mine.openedAt ?? 0))
    )
      return other;
    return mine;
  }
  if (key.startsWith(SNAPSHOT_PREFIX)) {
    return (theirs as UsageSnapshot).updatedAt > (ours as UsageSnapshot).updatedAt ? theirs : ours;
  }
  return ours;
};
