import type { LoopsView } from "./dashboard-types.js";

/**
 * Where the Loops panel reads scheduled loops from. The gateway does not know the daemon: the
 * cli composition root passes an implementation over the daemon's ledger
 * (`$HEDGE_HOME/loops.db`, opened read-only); without one the panel says "daemon not running".
 */
export interface DashboardLoopsSource {
  /** The loops with their next and last runs, and whether a daemon is alive; undefined: no ledger. */
  read(): Promise<LoopsView | undefined>;
  /** The end of one run's log, at most `maxBytes` (undefined: no such run or no log). */
  logTail(runId: string, maxBytes: number): Promise<string | undefined>;
}
