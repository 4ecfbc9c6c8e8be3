import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { makeTempHome, startScriptedUpstream, type ScriptedUpstream } from "@hedge/testkit";
import { gatewayConfigSchema, type ProviderConfig } from "../src/config-schema.js";
import { createGateway, type GatewayInputs } from "../src/create-gateway.js";
import type { GatewayEngine } from "../src/engine/engine.js";
import type { Store } from "../src/store/store.js";
import { createGatewayServer } from "../src/server/http-server.js";
import { GatewayKeyStore } from "../src/server/gateway-keys.js";
import { GatewayMetrics } from "../src/server/metrics.js";
import type { ProfileLimits } from "../src/usage/local-limits.js";
import type { UsageMonitor } from "../src/usage/usage-monitor.js";
import { FAST_RETRY, testClock, type TestClock } from "./routing-harness.js";

export interface UsageHarness {
  url: string;
  /** The gateway's `$HEDGE_HOME`. */
  home: string;
  engine: GatewayEngine;
  usage: UsageMonitor;
  store: Store;
  clock: TestClock;
  up: ScriptedUpstream;
  /** POST to the gateway in the provider's own wire (chat or messages). */
  ask(options?: { session?: string; text?: string }): Promise<Response>;
  /** Which profile (by its key `key-NAME`) served each upstream request, oldest first. */
  served(): string[];
  close(): Promise<void>;
}

/**
 * One provider (`lab`, local) with a pool of login profiles (`lab:profile:a`, ...), each sending
 * its own key `key-NAME`, all answered by one scripted upstream; an in-process gateway
 * (`createGateway`) with the usage heartbeat over a memory Store, and an injected clock shared by
 * engine, store and heartbeat.
 */
export async function startUsageHarness(options: {
  profiles: readonly string[];
  wire?: "chat" | "messages";
  switchBelow?: number;
  settings?: Record<string, { limits?: ProfileLimits; priority?: number }>;
  /** `--wait-for-reset`'s wait, for the embedded path. */
  waitForReset?: GatewayInputs["waitForReset"];
  /** The `store` config value (default `memory`). */
  store?: string;
  /** How often a Store in an outage is probed (ms). */
  storeProbeMs?: number;
  /** Receives the gateway's log lines. */
  log?: (line: string) => void;
}): Promise<UsageHarness> {
  const up = await startScriptedUpstream();
  const home = await makeTempHome();
  const clock = testClock();
  const wire = options.wire ?? "chat";
  const provider: ProviderConfig =
    wire === "chat"
      ? { base_url: `${up.url}/v1`, wire: "chat" }
      : { type: "anthropic", base_url: `${up.url}/v1`, class: "local" };
  const pool = options.profiles.map((name) => ({
    name,
    provider: "lab",
    region: undefined,
    secret: `key-${name}`,
  }));
  const config = gatewayConfigSchema.parse({
    store: options.store ?? "memory",
    providers: { lab: provider },
    aliases: { m: "lab/m" },
    routing: { retry: FAST_RETRY, health_cache_ms: 0 },
    usage: { switch_below: options.switchBelow ?? 0.1 },
    profiles: options.settings ?? {},
  });
  const { engine, store, usage, close } = await createGateway(config, {
    home: home.path,
    pools: new Map([["lab", pool]]),
    env: {},
    now: clock,
    ...(options.waitForReset ? { waitForReset: options.waitForReset } : {}),
    ...(options.storeProbeMs === undefined ? {} : { storeProbeMs: options.storeProbeMs }),
    ...(options.log ? { log: options.log } : {}),
  });
  const server: Server = createGatewayServer({
    engine,
    keys: new GatewayKeyStore(home.path),
    metrics: new GatewayMetrics(),
    requireKey: false,
    bodyLimitBytes: 2 ** 20,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    home: home.path,
    engine,
    usage,
    store,
    clock,
    up,
    ask: ({ session, text } = {}) =>
      fetch(`${url}/v1/${wire === "chat" ? "chat/completions" : "messages"}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(session ? { "x-hedge-session": session } : {}),
        },
        body: JSON.stringify({
          model: "m",
          max_tokens: 16,
          messages: [{ role: "user", content: text ?? "hi" }],
        }),
      }),
    served: () =>
      up.requests.map((request) => {
        const key = request.headers["x-api-key"] ?? request.headers["authorization"] ?? "";
        return /key-(\S+)$/.exec(key)?.[1] ?? "?";
      }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await close();
      await up.close();
      await home.cleanup();
    },
  };
}

/** Reads a response to the end and returns its status. */
export async function statusOf(response: Response): Promise<number> {
  await response.arrayBuffer();
  return response.status;
}
