import { callDaemon, openLedger as openStore, socketPath, type Ledger } from "@hedge/daemon";
import { loadConfig } from "../config/load.js";
import { hedgeHome } from "../context.js";

/** `-c` overrides of this command line (set before a loop command runs). */
let overrides: readonly string[] = [];

/** Records the command line's `-c` overrides for the ledger's `daemon.store`. */
export function setLoopConfigOverrides(values: readonly string[]): void {
  overrides = values;
}

/**
 * The loops ledger of this home: `daemon.store` from the user's config (a project overlay has no
 * say: cwd is the home), else SQLite in the home. The CLI reads and edits it directly (daemon up
 * or down).
 */
export async function openLedger(home = hedgeHome()): Promise<Ledger> {
  const { config } = loadConfig({ home, cwd: home, overrides });
  return openStore(home, config.daemon.store);
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
export async function withLedger<T>(work: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openLedger();
  try {
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}
