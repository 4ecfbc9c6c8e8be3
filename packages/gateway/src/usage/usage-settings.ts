import type { ProfileLimits } from "./local-limits.js";

/** `[usage]` and `[profiles.NAME]` as the monitor needs them. */
export interface UsageSettings {
  /** Leave a profile when the share left in any window falls under this (`usage.switch_below`). */
  switchBelow: number;
  /** A snapshot older than this decides nothing (`usage.snapshot_ttl_s`). */
  snapshotTtlMs: number;
  profiles?: Readonly<
    Record<string, { limits?: ProfileLimits | undefined; priority?: number | undefined }>
  >;
  /** How long a read of shared usage is reused by this process (own writes apply at once). */
  cacheMs?: number;
  /**
   * Snapshot updates far from the switch threshold are written to the Store at most this often
   * per snapshot (`usage.flush_ms`); near or across it, at once. 0 (the default here) writes
   * every update at once.
   */
  flushMs?: number;
  /** Told of a coalesced write that failed (it stays queued for the next one). */
  onError?: (error: unknown) => void;
}

/** The parts of a route (an engine `Attempt`) the monitor looks at. */
export interface UsageRoute {
  id: string;
  provider: { id: string };
  upstreamModel: string;
  credential: { profile?: string | undefined };
}

/** Why a route may not take a request now, and until when. */
export interface UsageRefusal {
  reason: string;
  until?: number;
}
