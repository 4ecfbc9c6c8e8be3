import { join } from "node:path";
import { HedgeError } from "@hedge/model-spec";
import type { Store, StoreOptions } from "./store.js";
import { redactUrl } from "./store-support.js";

export interface OpenStoreOptions extends StoreOptions {
  /** `$HEDGE_HOME`; the SQLite store lives in `<home>/state.db`. */
  home: string;
}

/** The file the default store uses. */
export function stateDbPath(home: string): string {
  return join(home, "state.db");
}

/**
 * Opens the store named by config `store`: `"sqlite"` (the default: `$HEDGE_HOME/state.db`),
 * `"memory"` (this process only, gone at exit) or a `redis://` / `rediss://` URL. The backend
 * module (and its native addon or client library) is loaded only here, on demand.
 */
export async function openStore(spec: string, options: OpenStoreOptions): Promise<Store> {
  const { home, ...storeOptions } = options;
  if (spec === "sqlite") {
    const { SqliteStore } = await import("./sqlite-store.js");
    return SqliteStore.open(stateDbPath(home), storeOptions);
  }
  if (spec === "memory") {
    const { MemoryStore } = await import("./memory-store.js");
    return new MemoryStore(storeOptions);
  }
  if (/^rediss?:\/\//i.test(spec)) {
    const { RedisStore } = await import("./redis-store.js");
    return RedisStore.connect(spec, storeOptions);
  }
  throw new HedgeError("store_invalid", `Unknown store "${redactUrl(spec)}".`, {
    hint: 'Set store = "sqlite" (default), "memory" or "redis://host:port" in config.toml.',
  });
}
