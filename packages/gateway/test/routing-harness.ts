import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { gatewayConfigSchema, type ProviderConfig } from "../src/config-schema.js";
import { createGateway } from "../src/create-gateway.js";
import type { GatewayEngine } from "../src/engine/engine.js";
import type { RouteExplanation } from "../src/engine/route.js";
import type { BreakerState } from "../src/routing/breaker.js";
import { listCooldowns, type Cooldown } from "../src/routing/health.js";
import type { Store } from "../src/store/store.js";
import { createGatewayServer } from "../src/server/http-server.js";
import { GatewayKeyStore } from "../src/server/gateway-keys.js";
import { GatewayMetrics } from "../src/server/metrics.js";

/** 2030-01-01T00:00:00Z: a whole second, so RFC 3339 resets (second precision) are exact. */
export const START = Date.UTC(2030, 0, 1, 0, 0, 0);

/** A clock the test moves by hand; the engine and the store both read it. */
export interface TestClock {
  (): number;
  set(epochMs: number): void;
  advance(ms: number): void;
}

export function testClock(start = START): TestClock {
  let current = start;
  const clock = (() => current) as TestClock;
  clock.set = (epochMs) => (current = epochMs);
  clock.advance = (ms) => (current += ms);
  return clock;
}

export interface HarnessOptions<U extends string> {
  /** One scripted upstream per name; each provider points at one of them. */
  upstreams: readonly U[];
  providers: (urls: Record<U, string>) => Record<string, ProviderConfig>;
  aliases?: Record<string, string>;
  policy?: Record<string, unknown>;
  routing?: Record<string, unknown>;
  /** `[gateway.accounts]`, given the ids of the keys created from `keys`. */
  accounts?: (keyIds: Record<string, string>) => Record<string, Record<string, unknown>>;
  /** Names of gateway keys to create; the plain keys are returned by name. */
  keys?: readonly string[];
  /** A real clock instead of the injected one (for the time budget). */
  realClock?: boolean;
  /** `gateway.allowed_origins` and `gateway.body_timeout` (ms) of the server. */
  server?: { allowedOrigins?: readonly string[]; bodyTimeoutMs?: number };
}

export interface Harness<U extends string> {
  url: string;
  engine: GatewayEngine;
  store: Store;
  clock: TestClock;
  up: Record<U, ScriptedUpstream>;
  /** Plain gateway keys by the name given in `keys`. */
  keys: Record<string, string>;
  keyIds: Record<string, string>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  chat(
    model: string,
    options?: { stream?: boolean; headers?: Record<string, string>; text?: string },
  ): Promise<Response>;
  breaker(route: string): Promise<BreakerState | undefined>;
  /** The cooldown stored for a route, whatever its scope (the route, a model family, a model). */
  cooldown(route: string): Promise<Cooldown | undefined>;
  explain(model: string, session?: string): Promise<RouteExplanation>;
  close(): Promise<void>;
}

/**
 * An in-process gateway (`createGateway`, as `hedge gateway serve` builds it, and the HTTP server
 * on port 0) over scripted upstreams, with a memory Store and an injected clock shared by both, so
 * cooldowns and breaker times are exact. No login profiles, no keys from the environment.
 */
export async function startHarness<U extends string>(
  options: HarnessOptions<U>,
): Promise<Harness<U>> {
  const up = {} as Record<U, ScriptedUpstream>;
  const urls = {} as Record<U, string>;
  for (const name of options.upstreams) {
    up[name] = await startScriptedUpstream();
    urls[name] = up[name].url;
  }
  const home: TempHome = await makeTempHome();
  const keyStore = new GatewayKeyStore(home.path);
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};
  for (const name of options.keys ?? []) {
    const created = keyStore.create(name);
    keys[name] = created.key;
    keyIds[name] = created.record.id;
  }
  const clock = testClock();
  const now = options.realClock ? Date.now : clock;
  // As `hedge gateway serve` wires it: the engine reports each request to the metrics.
  const metrics = new GatewayMetrics();
  const config = gatewayConfigSchema.parse({
    store: "memory",
    providers: options.providers(urls),
    aliases: options.aliases ?? {},
    policy: options.policy ?? {},
    routing: options.routing ?? {},
    gateway: { accounts: options.accounts?.(keyIds) ?? {} },
  });
  const gateway = await createGateway(config, {
    home: home.path,
    env: {},
    now,
    observer: metrics,
  });
  const { engine, store } = gateway;
  const server: Server = createGatewayServer({
    engine,
    accounts: config.gateway.accounts,
    keys: keyStore,
    metrics,
    requireKey: false,
    bodyLimitBytes: 2 ** 20,
    ...options.server,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  return {
    url,
    engine,
    store,
    clock,
    up,
    keys,
    keyIds,
    post,
    chat: (model, chatOptions = {}) =>
      post(
        "/v1/chat/completions",
        {
          model,
          stream: chatOptions.stream ?? false,
          messages: [{ role: "user", content: chatOptions.text ?? "hi" }],
        },
        chatOptions.headers,
      ),
    breaker: (route) => store.get<BreakerState>(`breaker:${route}`),
    cooldown: async (route) =>
      (await listCooldowns(store)).find((cooldown) => cooldown.route === route),
    explain: (model, session) => engine.explain({ model, ...(session ? { session } : {}) }),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.close();
      for (const upstream of Object.values<ScriptedUpstream>(up)) await upstream.close();
      await home.cleanup();
    },
  };
}

/** A local OpenAI-compatible provider (no key: route id `NAME:none`). */
export function labProvider(url: string, extra: Partial<ProviderConfig> = {}): ProviderConfig {
  return { base_url: `${url}/v1`, wire: "chat", ...extra };
}

/** Retries `check` until it stops throwing, or rethrows after `timeoutMs` of real time. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** The error object of an OpenAI-style error body. */
export async function openAiError(
  response: Response,
): Promise<{ message: string; type: string; code: string | null }> {
  const body = (await response.json()) as {
    error: { message: string; type: string; code: string | null };
  };
  return body.error;
}

/** Fast retries and a breaker that stays closed unless a test says otherwise. */
export const FAST_RETRY = { same_route: 1, base_ms: 1, max_ms: 5 };
