import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../src/index.js";
import { anthropicClient, collect } from "./clients.js";

const tools = [
  {
    name: "read_file",
    input_schema: { type: "object" as const, properties: { path: { type: "string" } } },
  },
  {
    name: "bash",
    input_schema: { type: "object" as const, properties: { command: { type: "string" } } },
  },
];
const twoCalls = [
  { name: "read_file", arguments: { path: "README.md" } },
  { name: "bash", arguments: { command: "ls" } },
];

describe("Anthropic Messages, parsed by @anthropic-ai/sdk", () => {
  let upstream: ScriptedUpstream;
  beforeAll(async () => {
    upstream = await startScriptedUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.reset());

  it("returns text and Anthropic-style usage without streaming", async () => {
    upstream.push({
      text: "Hi there.",
      usage: { inputTokens: 120, cachedTokens: 100, cacheCreationTokens: 5, outputTokens: 9 },
    });
    const message = await anthropicClient(upstream).messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 256,
      messages: [{ role: "user", content: "hello" }],
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.type).toBe("message");
    expect(message.model).toBe("claude-sonnet-4-6");
    expect(message.content).toEqual([{ type: "text", text: "Hi there." }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({
      input_tokens: 15,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 5,
      output_tokens: 9,
    });
  });

  it("returns tool_use blocks without streaming", async () => {
    upstream.push({ toolCalls: twoCalls });
    const message = await anthropicClient(upstream).messages.create({
      model: "claude-sonnet-4-6",
      max_tokens: 256,
      tools,
      messages: [{ role: "user", content: "look" }],
    });
    expect(message.stop_reason).toBe("tool_use");
    const uses = message.content.filter((block) => block.type === "tool_use");
    expect(uses.map((block) => ({ name: block.name, arguments: block.input }))).toEqual(twoCalls);
    expect(uses.every((block) => block.id.startsWith("toolu_"))).toBe(true);
  });

  it("streams thinking, text and tool_use that the message stream assembles", async () => {
    upstream.push({
      reasoning: "Consider the files first.",
      reasoningSignature: "sig-123",
      text: "Reading two things.",
      toolCalls: twoCalls,
      usage: { inputTokens: 50, outputTokens: 40 },
    });
    const stream = anthropicClient(upstream).messages.stream({
      model: "claude-sonnet-4-6",
      max_tokens: 2048,
      thinking: { type: "enabled", budget_tokens: 1024 },
      tools,
      messages: [{ role: "user", content: "plan" }],
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe("tool_use");
    expect(final.content[0]).toEqual({
      type: "thinking",
      thinking: "Consider the files first.",
      signature: "sig-123",
    });
    expect(final.content[1]).toMatchObject({ type: "text", text: "Reading two things." });
    const uses = final.content.filter((block) => block.type === "tool_use");
    expect(uses.map((block) => ({ name: block.name, arguments: block.input }))).toEqual(twoCalls);
    expect(final.usage).toMatchObject({ input_tokens: 50, output_tokens: 40 });
  });

  it("streams raw events in the documented order", async () => {
    upstream.push({ text: "a b c" });
    const stream = await anthropicClient(upstream).messages.create({
      model: "claude-haiku-4-5",
      max_tokens: 64,
      stream: true,
      messages: [{ role: "user", content: "abc" }],
    });
    const types = (await collect(stream)).map((event) => event.type);
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(types.filter((type) => type === "content_block_delta").length).toBe(3);
    expect(types).toContain("content_block_start");
    expect(types).toContain("content_block_stop");
  });

  it("accepts ?beta=true as Claude Code sends it and records the query and headers", async () => {
    upstream.push({ text: "beta ok" });
    const response = await fetch(`${upstream.url}/v1/messages?beta=true`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: "Bearer oauth-token",
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "interleaved-thinking-2025-05-14",
      },
      body: JSON.stringify({
        model: "claude-sonnet-4-6",
        max_tokens: 64,
        messages: [{ role: "user", content: "b" }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    expect(await response.json()).toMatchObject({
      type: "message",
      content: [{ type: "text", text: "beta ok" }],
    });
    const [request] = upstream.requestsTo("/v1/messages");
    expect(request?.query).toEqual({ beta: "true" });
    expect(request?.headers["authorization"]).toBe("Bearer oauth-token");
    expect(request?.body).toMatchObject({ model: "claude-sonnet-4-6" });
  });

  it("lists models in Anthropic's shape for the Anthropic client", async () => {
    upstream.reset({ models: ["claude-sonnet-4-6", "claude-haiku-4-5"], replies: [] });
    const page = await anthropicClient(upstream).models.list();
    expect(page.data.map((model) => model.id)).toEqual(["claude-sonnet-4-6", "claude-haiku-4-5"]);
  });
});
