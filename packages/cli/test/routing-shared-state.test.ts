import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "./gateway-process.js";
import {
  makeTempHome,
  startRedisServer,
  startScriptedUpstream,
  type RedisServer,
  type ScriptedUpstream,
} from "@hedge/testkit";
import { runHedge } from "./run-hedge.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

let redis: RedisServer | undefined;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

function config(store: string, a: ScriptedUpstream, b: ScriptedUpstream): string {
  return [
    `store = "${store}"`,
    "[providers.lab-a]",
    `base_url = "${a.url}/v1"`,
    'wire = "chat"',
    "[providers.lab-b]",
    `base_url = "${b.url}/v1"`,
    'wire = "chat"',
    "[aliases]",
    'm = "lab-a/m"',
    "[routing.retry]",
    "same_route = 0",
    "base_ms = 1",
    "max_ms = 5",
    "[routing.breaker]",
    "failure_threshold = 2",
    "cooldown_ms = 600000",
    "[routing.models.m]",
    'fallbacks = ["lab-b/m"]',
  ].join("\n");
}

async function chat(url: string): Promise<{ status: number; route: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
  });
  await response.arrayBuffer();
  const route = /provider=([^;]+)/.exec(response.headers.get("x-hedge-route") ?? "")?.[1];
  return { status: response.status, route: route ?? "none" };
}

const stores: [string, () => string][] = [
  ["one SQLite state.db (same HEDGE_HOME)", () => "sqlite"],
  ["one Redis", () => redis?.url ?? "redis://unset"],
];

describe.each(stores)("two gateway processes on %s", (_name, store) => {
  it("see each other's breaker trips: B refuses the route A tripped without calling it", async () => {
    const a = await startScriptedUpstream();
    const b = await startScriptedUpstream();
    const home = await makeTempHome();
    stops.push(
      () => a.close(),
      () => b.close(),
      () => home.cleanup(),
    );
    writeFileSync(join(home.path, "config.toml"), config(store(), a, b));
    a.push({ status: 503, error: { message: "unavailable" }, repeat: true });
    b.push({ text: "from b", repeat: true });
    const gatewayA = await startGateway(home.env);
    stops.push(() => gatewayA.stop());
    const gatewayB = await startGateway(home.env);
    stops.push(() => gatewayB.stop());

    // One failure seen by B, one by A: counted together, the breaker opens at 2.
    expect(await chat(gatewayB.url)).toEqual({ status: 200, route: "lab-b" });
    expect(await chat(gatewayA.url)).toEqual({ status: 200, route: "lab-b" });
    expect(a.requests).toHaveLength(2);

    const status = await runHedge(["gateway", "status", "--json"], { env: home.env });
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout) as {
      store: string;
      breakers: { route: string; state: string; consecutive_failures: number }[];
    };
    expect(shown.store).toBe(store() === "sqlite" ? "sqlite" : "redis");
    expect(shown.breakers).toContainEqual(
      expect.objectContaining({ route: "lab-a:none", state: "open", consecutive_failures: 2 }),
    );
    const explained = await runHedge(["route", "explain", "m", "--json"], { env: home.env });
    const plan = JSON.parse(explained.stdout) as {
      routes: { route: string; order: number | null; excluded?: string }[];
    };
    expect(plan.routes).toContainEqual(
      expect.objectContaining({
        route: "lab-a:none",
        order: null,
        excluded: "circuit open after 2 consecutive failure(s)",
      }),
    );

    // B (which saw only one failure itself) and A both skip lab-a now. (Should a process reuse a
    // read of shared health for a moment, the two CLI runs above outlast that moment.)
    for (const gateway of [gatewayB, gatewayA, gatewayB]) {
      expect(await chat(gateway.url)).toEqual({ status: 200, route: "lab-b" });
    }
    expect(a.requests).toHaveLength(2);
    expect(b.requests).toHaveLength(5);
  });
});
