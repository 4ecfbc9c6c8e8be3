import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import {
  GatewayMetrics,
  MemoryStore,
  createDashboard,
  createGatewayServer,
  durationMs,
  type GatewayKeyStore,
} from "@hedge/gateway";
import type { HedgeConfig } from "../config/schema.js";
import { buildEngine } from "./engine-factory.js";
import { gatewayAdmin, shareGatewayKeys } from "./admin.js";
import { ledgerLoopsSource } from "./dashboard-loops.js";
import { workerMetrics } from "./gateway-workers.js";
import { reportProfiles } from "./report-profiles.js";

/** The built page: `dist/dashboard/` next to the bundled binary (tsup's onSuccess writes it). */
const DASHBOARD_ASSETS = fileURLToPath(new URL("./dashboard/", import.meta.url));

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
  const sources = engine.stateSources();
  const pinned = process.env["HEDGE_PROFILE"] || undefined;
  const dashboard = createDashboard({
    assetsDir: DASHBOARD_ASSETS,
    sources: {
      ...sources,
      store: sources.store ?? new MemoryStore(),
      profiles: () => reportProfiles(config, home),
    },
    ...(pinned ? { pinned } : {}),
    auditCap: config.gateway.audit_max_entries,
    // The daemon's ledger, read-only; without one the panel says "daemon not running".
    loops: ledgerLoopsSource(home),
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
    dashboard,
    ...(options.worker ? { metricsText: workerMetrics(metrics) } : {}),
  });
  server.once("close", () => dashboard.close());
  const stopSharing = await shareGatewayKeys(config, options.keys, sources.store, options.log);
  return {
    server,
    providers: engine.providers.map((provider) => provider.id),
    close: async () => {
      stopSharing();
      await close();
    },
  };
}
