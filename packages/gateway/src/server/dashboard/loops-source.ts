import type { LoopRow } from "./dashboard-types.js";

/**
 * Where the Loops panel reads scheduled loops from. The gateway does not know the daemon: the
 * cli composition root passes an implementation over the daemon's ledger
 * (`$HEDGE_HOME/loops.db`, opened read-only); without one the panel says "daemon not running".
 */
export interface DashboardLoopsSource {
  /** Each loop with its next run and its last run; undefined when the ledger is not there. */
  list(): Promise<LoopRow[] | undefined>;
  /** The end of one run's log, at most `maxBytes` (undefined: no such run). */
  logTail(runId: string, maxBytes: number): Promise<string | undefined>;
}
