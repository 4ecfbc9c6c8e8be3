import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  makeTempHome,
  startRedisServer,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { startGateway, type GatewayProcess } from "./gateway-process.js";
import { runHedge } from "./run-hedge.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** A home whose config (given the redis-server's URL) points at a fresh redis-server. */
async function replicas(config: (redisUrl: string) => string[]): Promise<{ home: TempHome }> {
  const redis = await startRedisServer();
  const home = await makeTempHome();
  stops.push(
    () => redis.stop(),
    () => home.cleanup(),
  );
  writeFileSync(join(home.path, "config.toml"), config(redis.url).join("\n"));
  return { home };
}

/** `count` `hedge gateway serve` processes on that home (and so on that redis-server). */
async function serve(home: TempHome, count: number): Promise<GatewayProcess[]> {
  const gateways = await Promise.all(Array.from({ length: count }, () => startGateway(home.env)));
  for (const gateway of gateways) stops.push(() => gateway.stop());
  return gateways;
}

async function ask(
  url: string,
  model: string,
  key?: string,
): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  const body = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, ...(body.error?.code ? { code: body.error.code } : {}) };
}

async function login(env: NodeJS.ProcessEnv, name: string): Promise<void> {
  const run = await runHedge(["auth", "login", "--provider", "lab", "--profile", name], {
    env,
    input: `key-${name}\n`,
  });
  expect(run.code, run.stderr).toBe(0);
}

/** Which profile's key each upstream request carried. */
const served = (upstream: ScriptedUpstream): string[] =>
  upstream.requests.map(
    (request) => /key-(\S+)$/.exec(request.headers["authorization"] ?? "")?.[1] ?? "?",
  );

describe("gateway replicas on one redis-server behave as one gateway", () => {
  it("3 profiles x 10 requests, 25 requests over 3 replicas at once: 25 served, no request over a limit", async () => {
    const upstream = await startScriptedUpstream();
    stops.push(() => upstream.close());
    const { home } = await replicas((redisUrl) => [
      'credentials_store = "file"',
      `store = "${redisUrl}"`,
      "[providers.lab]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
      ...["a", "b", "c"].flatMap((name) => [`[profiles.${name}.limits]`, "requests_per_day = 10"]),
    ]);
    for (const name of ["a", "b", "c"]) await login(home.env, name);
    upstream.push({ text: "ok", repeat: true });
    const gateways = await serve(home, 3);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        ask((gateways[index % 3] as GatewayProcess).url, "lab/m"),
      ),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(25);
    const counts: Record<string, number> = {};
    for (const name of served(upstream)) counts[name] = (counts[name] ?? 0) + 1;
    // No profile was sent more than its limit: the upstream never had to answer 429.
    expect(Math.max(...Object.values(counts))).toBeLessThanOrEqual(10);
    expect(upstream.requests).toHaveLength(25);
  });

  it("a breaker opened by one replica is honoured by the others within a second", async () => {
    const flaky = await startScriptedUpstream();
    const steady = await startScriptedUpstream();
    stops.push(
      () => flaky.close(),
      () => steady.close(),
    );
    const { home } = await replicas((redisUrl) => [
      `store = "${redisUrl}"`,
      "[providers.flaky]",
      `base_url = "${flaky.url}/v1"`,
      'wire = "chat"',
      "[providers.steady]",
      `base_url = "${steady.url}/v1"`,
      'wire = "chat"',
      "[routing.breaker]",
      "failure_threshold = 3",
      "cooldown_ms = 600000",
      "[routing.retry]",
      "same_route = 0",
      '[routing.models."flaky/m"]',
      'fallbacks = ["steady/m"]',
    ]);
    flaky.push({ status: 500, error: { message: "down" }, repeat: true });
    steady.push({ text: "ok", repeat: true });
    const [first, second, third] = (await serve(home, 3)) as [
      GatewayProcess,
      GatewayProcess,
      GatewayProcess,
    ];
    // Each replica meets the failing route once (each read the breaker closed), the third
    // failure opens it.
    for (const gateway of [second, third, first])
      expect(await ask(gateway.url, "flaky/m")).toEqual({ status: 200 });
    expect(flaky.requests).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const gateway of [second, third, first, second, third])
      expect(await ask(gateway.url, "flaky/m")).toEqual({ status: 200 });
    expect(flaky.requests).toHaveLength(3);
    expect(steady.requests).toHaveLength(8);
  });

  it("a gateway key created on one machine's replica is accepted by all, and revoked everywhere", async () => {
    const upstream = await startScriptedUpstream();
    const redis = await startRedisServer();
    stops.push(
      () => upstream.close(),
      () => redis.stop(),
    );
    upstream.push({ text: "ok", repeat: true });
    // Three machines: each its own $HEDGE_HOME (its own gateway-keys.json), one redis-server.
    const homes: TempHome[] = [];
    for (let index = 0; index < 3; index += 1) {
      const home = await makeTempHome();
      stops.push(() => home.cleanup());
      writeFileSync(
        join(home.path, "config.toml"),
        [
          `store = "${redis.url}"`,
          "[providers.lab]",
          `base_url = "${upstream.url}/v1"`,
          'wire = "chat"',
        ].join("\n"),
      );
      homes.push(home);
    }
    const first = await runHedge(["gateway", "key", "create", "--name", "first"], {
      env: (homes[0] as TempHome).env,
    });
    expect(first.code, first.stderr).toBe(0);
    const gateways: GatewayProcess[] = [];
    for (const home of homes) gateways.push(...(await serve(home, 1)));
    const created = await runHedge(["gateway", "key", "create", "--name", "second"], {
      env: (homes[1] as TempHome).env,
    });
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const gateway of gateways) {
      expect(await ask(gateway.url, "lab/m", key)).toEqual({ status: 200 });
      expect((await ask(gateway.url, "lab/m", "hk-not-a-key")).status).toBe(401);
    }
    // Revoked from the third machine, where it was never created: refused by every replica.
    const revoked = await runHedge(["gateway", "key", "revoke", "second"], {
      env: (homes[2] as TempHome).env,
    });
    expect(revoked.code, revoked.stderr).toBe(0);
    const list = await runHedge(["gateway", "key", "list", "--json"], {
      env: (homes[2] as TempHome).env,
    });
    expect((JSON.parse(list.stdout) as { name: string }[]).map((entry) => entry.name)).toEqual([
      "first",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The machine that created it still has it in its key file: refused there too.
    for (const gateway of gateways) expect((await ask(gateway.url, "lab/m", key)).status).toBe(401);
    // Redis goes away: every replica keeps the keys it last loaded (the first key is in the
    // first machine's file only, the others know it from Redis): neither open nor locked.
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (const gateway of gateways) {
      expect(await ask(gateway.url, "lab/m", first.stdout.trim())).toEqual({ status: 200 });
      expect((await ask(gateway.url, "lab/m")).status).toBe(401);
      expect((await ask(gateway.url, "lab/m", key)).status).toBe(401);
    }
  });

  it("a dashboard key made on one machine keeps its scope on every replica, and revoking it anywhere ends it", async () => {
    const upstream = await startScriptedUpstream();
    const redis = await startRedisServer();
    stops.push(
      () => upstream.close(),
      () => redis.stop(),
    );
    upstream.push({ text: "ok", repeat: true });
    // Two machines: each its own $HEDGE_HOME (its own gateway-keys.json), one redis-server.
    const homes: TempHome[] = [];
    for (let index = 0; index < 2; index += 1) {
      const home = await makeTempHome();
      stops.push(() => home.cleanup());
      writeFileSync(
        join(home.path, "config.toml"),
        [
          `store = "${redis.url}"`,
          "[providers.lab]",
          `base_url = "${upstream.url}/v1"`,
          'wire = "chat"',
        ].join("\n"),
      );
      homes.push(home);
    }
    const [one, two] = homes as [TempHome, TempHome];
    const [first] = await serve(one, 1);
    const [second] = await serve(two, 1);
    const made = await runHedge(["dashboard", "--new-key", "--no-open", "--url", first!.url], {
      env: one.env,
    });
    expect(made.code, made.stderr).toBe(0);
    const key = made.stdout.split("\n")[0] ?? "";
    expect(key).toMatch(/^hk-/);
    const snapshot = (url: string): Promise<number> =>
      fetch(`${url}/dashboard/api/snapshot`, { headers: { authorization: `Bearer ${key}` } }).then(
        async (response) => {
          await response.body?.cancel();
          return response.status;
        },
      );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // The other machine's replica knows the key, and that it may only read the dashboard.
    expect(await snapshot(second!.url)).toBe(200);
    expect((await ask(second!.url, "lab/m", key)).status).toBe(403);
    const list = await runHedge(["gateway", "key", "list", "--json"], { env: two.env });
    const listed = JSON.parse(list.stdout) as { id: string; scopes?: string[] }[];
    expect(listed.map((entry) => entry.scopes)).toEqual([["dashboard:read"]]);
    const revoked = await runHedge(["gateway", "key", "revoke", listed[0]!.id], { env: two.env });
    expect(revoked.code, revoked.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Refused by both, the machine whose key file still lists it included.
    expect(await snapshot(first!.url)).toBe(401);
    expect(await snapshot(second!.url)).toBe(401);
  });
});
