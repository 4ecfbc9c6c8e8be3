import { SqliteLedger, callDaemon, ledgerPath, socketPath } from "@hedge/daemon";
import { hedgeHome } from "../context.js";

/** The loops ledger of this home; the CLI reads and edits it directly (daemon up or down). */
export function openLedger(home = hedgeHome()): SqliteLedger {
  return new SqliteLedger(ledgerPath(home));
}

/** Tells a running daemon that loops changed; a daemon that is down reads them at start. */
export async function notifyDaemon(home = hedgeHome()): Promise<boolean> {
  try {
    await callDaemon(socketPath(home), "loops.changed");
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` with the ledger open, closing it afterwards. */
export function withLedger<T>(work: (ledger: SqliteLedger) => T): T {
  const ledger = openLedger();
  try {
    return work(ledger);
  } finally {
    ledger.close();
  }
}
