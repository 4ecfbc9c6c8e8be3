import type { Server } from "node:http";
import {
  GatewayMetrics,
  createGatewayServer,
  durationMs,
  type GatewayKeyStore,
} from "@hedge/gateway";
import type { HedgeConfig } from "../config/schema.js";
import { buildEngine } from "./engine-factory.js";
import { gatewayAdmin, shareGatewayKeys } from "./admin.js";
import { workerMetrics } from "./gateway-workers.js";

/** `hedge gateway serve`'s server (not listening yet) and what it says on start. */
export interface GatewayServerSetup {
  server: Server;
  /** The providers it routes to, by id. */
  providers: readonly string[];
  /** Flushes the audit log and closes the Store, once the server has stopped. */
  close: () => Promise<void>;
}

/**
 * The gateway over HTTP from config: the engine (reporting each request to the metrics), the
 * model routes, `/metrics`, and hedge's admin API with this home's profiles.
 */
export async function gatewayServer(
  config: HedgeConfig,
  home: string,
  options: {
    keys: GatewayKeyStore;
    requireKey: boolean;
    log: (line: string) => void;
    /** A `--workers` worker: `/metrics` adds up every worker's numbers. */
    worker?: boolean;
  },
): Promise<GatewayServerSetup> {
  const metrics = new GatewayMetrics();
  const { engine, close } = await buildEngine(config, home, {
    observer: metrics,
    log: options.log,
  });
  const server = createGatewayServer({
    engine,
    accounts: config.gateway.accounts,
    keys: options.keys,
    metrics,
    requireKey: options.requireKey,
    bodyLimitBytes: Math.round(config.gateway.body_limit_mb * 2 ** 20),
    bodyTimeoutMs: durationMs(config.gateway.body_timeout) ?? 30_000,
    allowedOrigins: config.gateway.allowed_origins,
    log: options.log,
    admin: gatewayAdmin(engine, config, home),
    ...(options.worker ? { metricsText: workerMetrics(metrics) } : {}),
  });
  const stopSharing = await shareGatewayKeys(
    config,
    options.keys,
    engine.stateSources().store,
    options.log,
  );
  return {
    server,
    providers: engine.providers.map((provider) => provider.id),
    close: async () => {
      stopSharing();
      await close();
    },
  };
}
