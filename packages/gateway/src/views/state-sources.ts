import type { Store } from "../store/store.js";
import type { ReportProfile } from "../usage/usage-report.js";

/**
 * What the views of routing state read: the Store, the settings that say when things end, the
 * profiles the usage report covers, and the keys no view may show.
 */
export interface StateSources {
  /** Absent for an engine without shared state: the views are empty. */
  store?: Store;
  /** `[routing.breaker] cooldown_ms`: when an open breaker lets a probe through. */
  breakerCooldownMs: number;
  /** `usage.switch_below` and `usage.snapshot_ttl_s` (in ms); defaults when absent. */
  usage?: { switchBelow: number; snapshotTtlMs: number };
  /** The logged-in profiles, read at each report (a login since start shows up). */
  profiles?: () => readonly ReportProfile[];
  /** Keys the routes hold: replaced wherever they would appear in a view. */
  secrets?: () => readonly string[];
  now?: () => number;
}
