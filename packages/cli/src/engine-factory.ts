import {
  GatewayEngine,
  configCredentials,
  openStore,
  resolveProviders,
  type GatewayObserver,
  type Store,
} from "@hedge/gateway";
import type { HedgeConfig } from "./config/schema.js";

export interface EngineSetup {
  engine: GatewayEngine;
  store: Store;
  close: () => Promise<void>;
}

/** Opens the Store named by config (`sqlite` under HEDGE_HOME by default). */
export function openConfiguredStore(config: HedgeConfig, home: string): Promise<Store> {
  return openStore(config.store, {
    home,
    auditRetentionMs: config.gateway.audit_retention_days * 86_400_000,
    auditMaxEntries: config.gateway.audit_max_entries,
  });
}

/** Builds the gateway engine from config: providers, aliases, policy, routing, credentials, store. */
export async function buildEngine(
  config: HedgeConfig,
  home: string,
  options: { observer?: GatewayObserver; log?: (line: string) => void } = {},
): Promise<EngineSetup> {
  const store = await openConfiguredStore(config, home);
  const engine = new GatewayEngine({
    providers: resolveProviders(config.providers),
    aliases: config.aliases,
    policy: config.policy,
    routing: config.routing,
    credentials: configCredentials(),
    store,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    engine,
    store,
    close: async () => {
      await engine.flush();
      await store.close();
    },
  };
}
