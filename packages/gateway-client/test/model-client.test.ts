import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  GatewayEngine,
  GatewayKeyStore,
  GatewayMetrics,
  MemoryStore,
  configCredentials,
  createGatewayServer,
  resolveProviders,
  routingSchema,
  policySchema,
} from "@hedge/gateway";
import type { CanonicalRequest, ModelEvent } from "@hedge/model-spec";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { createModelClient, type ModelClient } from "../src/index.js";

let upstream: ScriptedUpstream;
let home: TempHome;
let engine: GatewayEngine;
let server: ReturnType<typeof createGatewayServer>;
let gatewayUrl: string;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  home = await makeTempHome();
  engine = new GatewayEngine({
    providers: resolveProviders({
      anth: { type: "anthropic", base_url: `${upstream.url}/v1` },
      lab: { base_url: `${upstream.url}/v1`, wire: "chat" },
    }),
    aliases: { fast: "anth/claude-haiku" },
    policy: policySchema.parse({}),
    routing: routingSchema.parse({}),
    credentials: configCredentials({}),
    store: new MemoryStore(),
  });
  const keys = new GatewayKeyStore(home.path);
  server = createGatewayServer({
    engine,
    keys,
    metrics: new GatewayMetrics(),
    requireKey: false,
    bodyLimitBytes: 2 ** 20,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await upstream.close();
  await home.cleanup();
});
beforeEach(() => upstream.reset());

function request(model: string, text: string): CanonicalRequest {
  return {
    model,
    messages: [{ role: "user", content: [{ type: "text", text }] }],
    tools: [
      {
        name: "read_file",
        description: "Read a file",
        parameters: { type: "object", properties: { path: { type: "string" } } },
      },
    ],
    stream: true,
    metadata: { role: "executor", session_id: "s-1" },
    dropped: [],
  };
}

async function collect(client: ModelClient, model: string): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of client.stream(request(model, "read the readme"))) events.push(event);
  return events;
}

const clients: [string, () => ModelClient][] = [
  ["embedded", () => createModelClient({ mode: "embedded", engine })],
  ["remote", () => createModelClient({ mode: "remote", url: gatewayUrl, key: undefined })],
];

describe.each(clients)("%s ModelClient", (_name, make) => {
  it("streams the route first, then text, a tool call, usage and finish", async () => {
    upstream.push({
      text: "Let me look.",
      toolCalls: [{ name: "read_file", arguments: { path: "README.md" } }],
      usage: { inputTokens: 30, outputTokens: 9 },
    });
    const events = await collect(make(), "fast");
    expect(events[0]).toMatchObject({
      type: "route.selected",
      provider: "anth",
      upstreamModel: "claude-haiku",
    });
    const text = events
      .flatMap((event) => (event.type === "text.delta" ? [event.text] : []))
      .join("");
    expect(text).toBe("Let me look.");
    expect(events.find((event) => event.type === "tool_call.end")).toMatchObject({
      index: 0,
      arguments: '{"path":"README.md"}',
    });
    expect(events.find((event) => event.type === "usage")).toMatchObject({
      usage: { output_tokens: 9 },
    });
    expect(events[events.length - 1]).toEqual({ type: "finish", reason: "tool_calls" });
    expect(upstream.requests).toHaveLength(1);
    expect((upstream.requests[0]?.body as { model: string }).model).toBe("claude-haiku");
  });

  it("ends with an error event when the upstream stream fails after a 200", async () => {
    upstream.push({
      text: "partial answer here",
      streamError: { afterChunks: 3, message: "overloaded" },
    });
    const events = await collect(make(), "lab/m");
    expect(events[events.length - 1]).toMatchObject({ type: "error" });
  });
});

it("the embedded client rejects an unknown model before any call", async () => {
  const client = createModelClient({ mode: "embedded", engine });
  await expect(collect(client, "nowhere/x")).rejects.toMatchObject({
    code: "model_not_found",
    status: 404,
  });
  expect(upstream.requests).toHaveLength(0);
});
