import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import type { WireFormat } from "@hedge/model-spec";
import { decodeStream, encodeStream, readFixture } from "./wire-helpers.js";

/** The official SDKs parse what our stream encoders write (served by a stub `fetch`). */
type FetchLike = (input: unknown, init?: unknown) => Promise<Response>;

function serving(sse: string): FetchLike {
  return () =>
    Promise.resolve(new Response(sse, { headers: { "content-type": "text/event-stream" } }));
}

function clientStream(clientWire: WireFormat, upstreamWire: WireFormat, fixture: string): string {
  return encodeStream(
    clientWire,
    decodeStream(upstreamWire, readFixture(fixture)),
    undefined,
    "served-model",
  );
}

describe("openai SDK accepts", () => {
  const client = (sse: string): OpenAI =>
    new OpenAI({
      apiKey: "k",
      baseURL: "http://gateway.test/v1",
      fetch: serving(sse),
      maxRetries: 0,
    });

  it("a Chat stream translated from Anthropic tool use", async () => {
    const stream = clientStream("chat", "messages", "messages-tool-use.chunks.txt");
    const completion = await client(stream)
      .chat.completions.stream({
        model: "m",
        messages: [],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.message.content).toBe("Checking.");
    expect(choice?.message.tool_calls?.map((call) => call.function)).toEqual([
      { name: "get_weather", arguments: '{"city": "Paris"}' },
      { name: "get_weather", arguments: '{"city": "Rome"}' },
    ]);
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(completion.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 30 });
  });

  it("a Responses stream translated from Chat tool calls", async () => {
    const stream = clientStream("responses", "chat", "chat-tool-calls.chunks.txt");
    const response = await client(stream)
      .responses.stream({ model: "m", input: "hi" })
      .finalResponse();
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Checking.");
    expect(response.output.map((item) => item.type)).toEqual([
      "reasoning",
      "message",
      "function_call",
      "function_call",
    ]);
    expect(response.usage).toMatchObject({ input_tokens: 40, output_tokens: 30 });
  });
});

describe("@anthropic-ai/sdk accepts", () => {
  const client = (sse: string): Anthropic =>
    new Anthropic({
      apiKey: "k",
      baseURL: "http://gateway.test",
      fetch: serving(sse),
      maxRetries: 0,
    });

  it("a Messages stream translated from Responses", async () => {
    const stream = clientStream("messages", "responses", "responses-text.chunks.txt");
    const message = await client(stream)
      .messages.stream({ model: "m", max_tokens: 10, messages: [] })
      .finalMessage();
    expect(message.content.map((block) => block.type)).toEqual(["thinking", "text"]);
    expect(message.content[1]).toMatchObject({ type: "text", text: "Hello, world" });
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 4, output_tokens: 4 });
  });

  it("a Messages stream translated from Chat tool calls", async () => {
    const stream = clientStream("messages", "chat", "chat-tool-calls.chunks.txt");
    const message = await client(stream)
      .messages.stream({ model: "m", max_tokens: 10, messages: [] })
      .finalMessage();
    expect(
      message.content
        .filter((block) => block.type === "tool_use")
        .map((block) => [block.name, block.input]),
    ).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_weather", { city: "Rome" }],
    ]);
    expect(message.stop_reason).toBe("tool_use");
  });
});
