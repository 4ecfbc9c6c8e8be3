import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { join } from "node:path";
import {
  makeTempDir,
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempDir,
  type TempHome,
} from "@hedge/testkit";
import { buildDashboard } from "../dashboard/build.mjs";
import { gatewayConfigSchema } from "../src/config-schema.js";
import { createGateway, type Gateway } from "../src/create-gateway.js";
import { createDashboard } from "../src/server/dashboard/routes.js";
import type { DashboardLoopsSource } from "../src/server/dashboard/loops-source.js";
import { GatewayKeyStore, type KeyScope } from "../src/server/gateway-keys.js";
import { createGatewayServer } from "../src/server/http-server.js";
import { GatewayMetrics } from "../src/server/metrics.js";
import { openStore } from "../src/store/open-store.js";
import type { Store } from "../src/store/store.js";

/** The page is built once per test file (esbuild, ~100 ms). */
let built: Promise<TempDir> | undefined;
function builtPage(): Promise<TempDir> {
  built ??= makeTempDir("hedge-dashboard-").then(async (dir) => {
    await buildDashboard(join(dir.path, "page"));
    return dir;
  });
  return built;
}

export interface DashboardHarness {
  url: string;
  home: TempHome;
  upstream: ScriptedUpstream;
  gateway: Gateway;
  /** Plain keys: `all` (no scopes), `read`, `admin`, `models`. */
  keys: Record<"all" | "read" | "admin" | "models", string>;
  /** The key file, to revoke keys as `hedge gateway key revoke` does. */
  keyStore: GatewayKeyStore;
  /** Another connection to the same SQLite file, as another hedge process holds. */
  other: () => Promise<Store>;
  close(): Promise<void>;
}

/**
 * `hedge gateway serve` in-process: a SQLite Store in a temp home, provider `lab` (route
 * `lab:none`) on a scripted upstream, the dashboard built into a temp dir, and keys of each
 * scope unless `keyless`.
 */
export async function startDashboardHarness(
  options: {
    keyless?: boolean;
    assetsDir?: string;
    loops?: DashboardLoopsSource;
    pollMs?: number;
    pingMs?: number;
  } = {},
): Promise<DashboardHarness> {
  const upstream = await startScriptedUpstream();
  const home = await makeTempHome();
  const keyStore = new GatewayKeyStore(home.path);
  const make = (name: string, scopes?: KeyScope[]): string => keyStore.create(name, scopes).key;
  const keys = options.keyless
    ? { all: "", read: "", admin: "", models: "" }
    : {
        all: make("all"),
        read: make("read", ["dashboard:read"]),
        admin: make("admin", ["dashboard:admin"]),
        models: make("models", ["models"]),
      };
  const config = gatewayConfigSchema.parse({
    store: "sqlite",
    providers: { lab: { base_url: `${upstream.url}/v1`, wire: "chat" } },
  });
  const metrics = new GatewayMetrics();
  const gateway = await createGateway(config, { home: home.path, env: {}, observer: metrics });
  const sources = gateway.engine.stateSources();
  const dashboard = createDashboard({
    assetsDir: options.assetsDir ?? join((await builtPage()).path, "page"),
    sources: { ...sources, store: gateway.store },
    pollMs: options.pollMs ?? 50,
    ...(options.pingMs ? { pingMs: options.pingMs } : {}),
    ...(options.loops ? { loops: options.loops } : {}),
  });
  const server: Server = createGatewayServer({
    engine: gateway.engine,
    keys: keyStore,
    metrics,
    requireKey: false,
    bodyLimitBytes: 2 ** 20,
    allowedOrigins: ["http://localhost:5173"],
    dashboard,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const others: Store[] = [];
  return {
    url,
    home,
    keyStore,
    upstream,
    gateway,
    keys,
    other: async () => {
      const store = await openStore("sqlite", { home: home.path });
      others.push(store);
      return store;
    },
    async close() {
      dashboard.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      for (const store of others) await store.close();
      await gateway.close();
      await upstream.close();
      await home.cleanup();
    },
  };
}

/** An SSE connection read as text, split into messages as they arrive. */
export interface EventReader {
  status: number;
  /** Resolves with the first message (from now or already received) `match` accepts. */
  next(match: (message: { event: string; id: string; data: unknown }) => boolean): Promise<{
    event: string;
    id: string;
    data: unknown;
  }>;
  messages: { event: string; id: string; data: unknown }[];
  /** The server ended the stream. */
  readonly ended: boolean;
  close(): void;
}

export async function readEvents(
  url: string,
  headers: Record<string, string>,
): Promise<EventReader> {
  const controller = new AbortController();
  const response = await fetch(`${url}/dashboard/api/events`, {
    headers,
    signal: controller.signal,
  });
  const messages: { event: string; id: string; data: unknown }[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  if (response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string): string | undefined =>
              block
                .split("\n")
                .find((line) => line.startsWith(`${name}: `))
                ?.slice(name.length + 2);
            const data = field("data");
            if (data === undefined) continue;
            messages.push({
              event: field("event") ?? "message",
              id: field("id") ?? "",
              data: JSON.parse(data) as unknown,
            });
            for (const wake of waiters.splice(0)) wake();
          }
        }
        ended = true;
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: response.status,
    messages,
    get ended() {
      return ended;
    },
    async next(match) {
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    close: () => controller.abort(),
  };
}
