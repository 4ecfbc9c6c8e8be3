import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../src/index.js";
import { collect, openAiClient } from "./clients.js";

const tools = [
  {
    type: "function" as const,
    function: {
      name: "read_file",
      parameters: { type: "object", properties: { path: { type: "string" } } },
    },
  },
  {
    type: "function" as const,
    function: {
      name: "run",
      parameters: { type: "object", properties: { command: { type: "string" } } },
    },
  },
];
const twoCalls = [
  { name: "read_file", arguments: { path: "src/index.ts" } },
  { name: "run", arguments: { command: "pnpm test -- --reporter=dot" } },
];

describe("Chat Completions, parsed by the openai SDK", () => {
  let upstream: ScriptedUpstream;
  beforeAll(async () => {
    upstream = await startScriptedUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.reset());

  it("answers a plain request with the scripted text and usage", async () => {
    upstream.push({
      text: "Hello from the script.",
      usage: { inputTokens: 42, outputTokens: 7, cachedTokens: 32, reasoningTokens: 3 },
    });
    const completion = await openAiClient(upstream).chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-4.1");
    expect(completion.choices[0]?.message.content).toBe("Hello from the script.");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: 42,
      completion_tokens: 7,
      total_tokens: 49,
      prompt_tokens_details: { cached_tokens: 32 },
      completion_tokens_details: { reasoning_tokens: 3 },
    });
  });

  it("returns two parallel tool calls without streaming", async () => {
    upstream.push({ toolCalls: twoCalls });
    const completion = await openAiClient(upstream).chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "look around" }],
      tools,
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const calls = choice?.message.tool_calls ?? [];
    expect(
      calls.map((call) => (call.type === "function" ? call.function.name : call.type)),
    ).toEqual(["read_file", "run"]);
    for (const [index, call] of calls.entries()) {
      expect(call.id).toMatch(/^call_/);
      if (call.type === "function")
        expect(JSON.parse(call.function.arguments)).toEqual(twoCalls[index]?.arguments);
    }
  });

  it("streams text that the stream helper assembles, with a usage-only final chunk", async () => {
    upstream.push({
      text: "Streaming works, word by word.",
      usage: { inputTokens: 11, outputTokens: 6 },
    });
    const stream = openAiClient(upstream).chat.completions.stream({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "stream please" }],
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("Streaming works, word by word.");
    expect(final.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.length).toBeGreaterThan(3);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({
      prompt_tokens: 11,
      completion_tokens: 6,
      total_tokens: 17,
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("streams two parallel tool calls that the stream helper reassembles", async () => {
    upstream.push({ toolCalls: twoCalls });
    const stream = openAiClient(upstream).chat.completions.stream({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "look around" }],
      tools,
    });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(calls).toHaveLength(2);
    const parsed = calls.map((call) =>
      call.type === "function"
        ? { name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown }
        : null,
    );
    expect(parsed).toEqual(twoCalls);
  });

  it("ends a raw stream with [DONE] and sends no usage unless asked", async () => {
    upstream.push({ text: "raw" });
    const response = await fetch(`${upstream.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4.1",
        stream: true,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(text).not.toContain('"usage"');
    expect(text).not.toContain("event:");
  });

  it("maps stop reasons to finish_reason", async () => {
    upstream.push({ text: "cut", stopReason: "max_tokens" });
    const completion = await openAiClient(upstream).chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "long" }],
    });
    expect(completion.choices[0]?.finish_reason).toBe("length");
  });
});
