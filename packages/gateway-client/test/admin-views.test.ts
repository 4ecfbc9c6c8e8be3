import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GatewayAdmin,
  GatewayEngine,
  GatewayKeyStore,
  GatewayMetrics,
  MemoryStore,
  configCredentials,
  createGatewayServer,
  policySchema,
  resolveProviders,
  routingSchema,
  type ReportProfile,
} from "@hedge/gateway";
import type { CanonicalRequest, StatsQuery } from "@hedge/model-spec";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { createModelClient, type ModelClient } from "../src/index.js";

// The same engine answered in-process and over hedge's admin API: every view must be equal, so a
// remote `hedge route explain|usage|gateway status|stats` says what a local one would.

/** A whole second, so ISO times round-trip exactly. */
const NOW = Date.UTC(2030, 0, 1, 0, 0, 0);

let upstream: ScriptedUpstream;
let home: TempHome;
let engine: GatewayEngine;
let server: Server;
let embedded: ModelClient;
let remote: ModelClient;
let gatewayUrl: string;

const profiles = (): readonly ReportProfile[] => [
  { name: "work", provider: "lab", kind: "api-key", limits: { requests_per_minute: 50 } },
];

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  home = await makeTempHome();
  const now = (): number => NOW;
  engine = new GatewayEngine({
    providers: resolveProviders({
      lab: { base_url: `${upstream.url}/v1`, wire: "chat" },
      spare: { base_url: `${upstream.url}/v1`, wire: "chat" },
      claude: { base_url: `${upstream.url}/v1`, wire: "messages", api_key: "sk-ant-claude-0000" },
      cloud: { type: "openai", base_url: "https://api.example.com/v1", api_key: "sk-cloud-0000" },
    }),
    aliases: {},
    policy: policySchema.parse({}),
    routing: routingSchema.parse({
      retry: { same_route: 0 },
      models: { "lab/m": { fallbacks: ["spare/m", "cloud/m"] } },
    }),
    credentials: configCredentials({}),
    store: new MemoryStore({ now }),
    now,
  });
  server = createGatewayServer({
    engine,
    keys: new GatewayKeyStore(home.path),
    metrics: new GatewayMetrics(),
    requireKey: false,
    bodyLimitBytes: 2 ** 20,
    admin: new GatewayAdmin(engine, { profiles }),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  embedded = createModelClient({ mode: "embedded", engine, profiles });
  remote = createModelClient({ mode: "remote", url: gatewayUrl, key: undefined });

  // One call refused with a 429 and a reset: lab's route is in cooldown, the fallback serves.
  upstream.push(
    { status: 429, headers: { "retry-after": "120" } },
    { text: "served by the fallback", usage: { inputTokens: 12, outputTokens: 3 } },
  );
  for await (const _event of embedded.stream(request("lab/m"))) {
    // Drained: the call is recorded.
  }
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await upstream.close();
  await home.cleanup();
});

function request(model: string): CanonicalRequest {
  return {
    model,
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    tools: [],
    stream: true,
    metadata: { role: "executor", session_id: "s-1" },
    dropped: [],
  };
}

describe("embedded and remote clients answer the same views", () => {
  it("explain: candidates in order, the cooled-down route with its end, the policy's refusal", async () => {
    const local = await embedded.explain({ model: "lab/m", role: "executor" });
    expect(local.routes.map((route) => [route.route, route.order, route.until ?? null])).toEqual([
      ["lab:none", null, new Date(NOW + 120_000).toISOString()],
      ["spare:none", 1, null],
    ]);
    expect(local.ruled_out).toEqual([
      expect.objectContaining({
        route: "cloud:*",
        excluded: expect.stringContaining("policy") as string,
      }),
    ]);
    expect(await remote.explain({ model: "lab/m", role: "executor" })).toEqual(local);
    // A model every route of which is denied: the same would-be error both ways.
    const denied = await embedded.explain({ model: "cloud/m" });
    expect(denied.error).toMatchObject({ code: "policy_denied" });
    expect(await remote.explain({ model: "cloud/m" })).toEqual(denied);
  });

  it("usage, status and stats", async () => {
    const usage = await embedded.usage();
    expect(usage.profiles).toEqual([
      expect.objectContaining({
        profile: "work",
        windows: [expect.objectContaining({ source: "local", limit: 50 })],
      }),
    ]);
    expect(await remote.usage()).toEqual(usage);

    const status = await embedded.status({ limit: 10 });
    expect(status.cooldowns).toEqual([
      expect.objectContaining({ route: "lab:none", kind: "rate_limited" }),
    ]);
    expect(await remote.status({ limit: 10 })).toEqual(status);

    const query: StatsQuery = { since: NOW - 3_600_000, by: "provider" };
    const stats = await embedded.stats(query);
    expect(stats.rows).toEqual([expect.objectContaining({ key: "spare", calls: 1 })]);
    expect(await remote.stats(query)).toEqual(stats);
  });

  it("a verdict recorded remotely is counted in the gateway's stats at once", async () => {
    await remote.recordVerdict({ model: "lab/qa", verdict: "block", session: "s-1" });
    await remote.recordVerdict({ model: "lab/qa", verdict: "pass", session: "s-1" });
    const stats = await remote.stats({ since: NOW - 1000, by: "model" });
    expect(stats.rows).toContainEqual(
      expect.objectContaining({ key: "lab/qa", calls: 0, qa: { pass: 1, add_tasks: 0, block: 1 } }),
    );
    expect(await embedded.stats({ since: NOW - 1000, by: "model" })).toEqual(stats);
  });

  it("countTokens: the Anthropic route's provider counts, the same both ways; others have none", async () => {
    const request: CanonicalRequest = {
      model: "claude/sonnet",
      messages: [{ role: "user", content: [{ type: "text", text: "count me" }] }],
      tools: [{ name: "grep", description: "Search", parameters: { type: "object" } }],
      stream: false,
      metadata: {},
      dropped: [],
    };
    const before = upstream.requestsTo("/v1/messages/count_tokens").length;
    const counted = await embedded.countTokens(request);
    expect(counted).toMatchObject({ provider: "claude", model: "sonnet" });
    expect(counted?.inputTokens).toBeGreaterThan(0);
    expect(await remote.countTokens(request)).toEqual(counted);
    expect(upstream.requestsTo("/v1/messages/count_tokens")).toHaveLength(before + 2);
    expect(await embedded.countTokens({ ...request, model: "spare/m" })).toBeNull();
    expect(await remote.countTokens({ ...request, model: "spare/m" })).toBeNull();
  });
});

describe("a gateway that is not hedge's", () => {
  it("gives one clear error: it does not serve hedge's admin API", async () => {
    // The scripted upstream speaks the OpenAI API and nothing else, like any other gateway.
    const foreign = createModelClient({ mode: "remote", url: `${upstream.url}/v1`, key: "k" });
    for (const call of [
      () => foreign.usage(),
      () => foreign.status(),
      () => foreign.stats({ since: NOW, by: "role" }),
      () => foreign.explain({ model: "lab/m" }),
      () => foreign.recordVerdict({ model: "lab/m", verdict: "pass" }),
    ]) {
      await expect(call()).rejects.toMatchObject({
        code: "admin_api_missing",
        message: expect.stringMatching(
          /^this gateway does not serve hedge's admin API; /,
        ) as string,
        hint: expect.stringContaining("hedge gateway serve") as string,
      });
    }
  });

  it("refuses an answer that is not the view, and strips terminal escapes from one that is", async () => {
    let body = "";
    const hostile = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-hedge-admin": "v1" });
      res.end(body);
    });
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
      const client = createModelClient({ mode: "remote", url, key: undefined });
      body = JSON.stringify({ store: 5, switch_below: 0.1, profiles: [] });
      await expect(client.usage()).rejects.toMatchObject({
        code: "gateway_answer_invalid",
        message: expect.stringContaining("store") as string,
      });
      body = JSON.stringify({
        store: "sqlite\u001b]0;owned\u0007",
        switch_below: 0.1,
        profiles: [],
      });
      expect((await client.usage()).store).toBe("sqlite ]0;owned ");
    } finally {
      await new Promise((resolve) => hostile.close(resolve));
    }
  });
});
