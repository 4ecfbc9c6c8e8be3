import type { Ledger } from "./ledger.js";
import { LocalLedger } from "./local-ledger.js";
import { isRedisUrl } from "./redis-connect.js";
import { RedisLedger } from "./redis-ledger.js";
import { SqliteLedger, ledgerPath } from "./sqlite-ledger.js";

/**
 * The ledger `daemon.store` names: a `redis://` or `rediss://` URL shares loops and runs with
 * every daemon pointed at that server; absent, it is SQLite in `$HEDGE_HOME` (one daemon).
 */
export async function openLedger(home: string, store?: string | null): Promise<Ledger> {
  if (store && isRedisUrl(store)) return RedisLedger.connect(store);
  return new LocalLedger(new SqliteLedger(ledgerPath(home)));
}
