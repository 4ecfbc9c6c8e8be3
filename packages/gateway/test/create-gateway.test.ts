import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PoolMember } from "@hedge/auth";
import type { CanonicalRequest } from "@hedge/model-spec";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { gatewayConfigSchema } from "../src/config-schema.js";
import { createGateway, openGatewayStore, type Gateway } from "../src/create-gateway.js";

// createGateway is the one composition root: what `hedge`, `hedge gateway serve`, the test
// harnesses and the benchmarks build the engine with, from config sections and login profiles.

let home: TempHome | undefined;
let upstream: ScriptedUpstream | undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  await upstream?.close();
  await home?.cleanup();
  gateway = undefined;
  upstream = undefined;
  home = undefined;
});

function member(provider: string, name: string, secret: string): PoolMember {
  return { name, provider, region: undefined, secret };
}

const request: CanonicalRequest = {
  model: "lab/m",
  messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
  stream: true,
  metadata: {},
  dropped: [],
};

async function drain(events: AsyncIterable<unknown>): Promise<void> {
  for await (const _event of events) {
    // read to the end
  }
}

describe("createGateway", () => {
  it("serves a hosted provider a login named (its preset, allowed by the login, with its key)", async () => {
    home = await makeTempHome();
    const config = gatewayConfigSchema.parse({ store: "memory" });
    const model = { model: "anthropic/claude-sonnet-4-5" };
    // Local-first: without a login, the hosted preset is not configured, and when it is, it is
    // not allowed.
    gateway = await createGateway(config, { home: home.path, env: {} });
    await expect(gateway.engine.explain(model)).rejects.toThrow(/no configured provider/);
    await gateway.close();
    const configured = gatewayConfigSchema.parse({ store: "memory", providers: { anthropic: {} } });
    gateway = await createGateway(configured, { home: home.path, env: {} });
    expect((await gateway.engine.explain(model)).error?.message).toMatch(/polic/);
    await gateway.close();

    const pools = new Map([["anthropic", [member("anthropic", "work", "sk-ant-test-1")]]]);
    gateway = await createGateway(config, { home: home.path, env: {}, pools });
    const { plan, error } = await gateway.engine.explain(model);
    expect(error).toBeUndefined();
    expect(plan.attempts.map((attempt) => attempt.id)).toEqual(["anthropic:profile:work"]);
    expect(plan.attempts[0]?.provider.providerClass).toBe("hosted");
    // The tool guard masks what the gateway holds.
    expect(gateway.secrets).toEqual(["sk-ant-test-1"]);
  });

  it("sends a pool's key first, then the config's key from the environment it was given", async () => {
    home = await makeTempHome();
    upstream = await startScriptedUpstream();
    const config = gatewayConfigSchema.parse({
      store: "memory",
      providers: { lab: { base_url: `${upstream.url}/v1`, wire: "chat", api_key_env: "LAB_KEY" } },
      routing: { retry: { same_route: 0 } },
    });
    const pools = new Map([["lab", [member("lab", "p", "key-pool")]]]);
    gateway = await createGateway(config, {
      home: home.path,
      env: { LAB_KEY: "key-env" },
      pools,
    });
    upstream.push({ status: 401, error: { message: "bad key" } }, { text: "ok" });
    await drain(gateway.engine.stream(request));
    expect(upstream.requests.map((seen) => seen.headers["authorization"])).toEqual([
      "Bearer key-pool",
      "Bearer key-env",
    ]);
  });

  it("keeps routing state and the audit log in the store the config names", async () => {
    home = await makeTempHome();
    upstream = await startScriptedUpstream();
    const config = gatewayConfigSchema.parse({
      providers: { lab: { base_url: `${upstream.url}/v1`, wire: "chat" } },
    });
    gateway = await createGateway(config, { home: home.path, env: {} });
    upstream.push({ text: "ok" });
    await drain(gateway.engine.stream(request));
    await gateway.close();
    gateway = undefined;
    expect(existsSync(join(home.path, "state.db"))).toBe(true);
    const store = await openGatewayStore(config, home.path);
    try {
      const audit = await store.listAudit();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ model: "lab/m", outcome: "ok" });
    } finally {
      await store.close();
    }
  });
});
