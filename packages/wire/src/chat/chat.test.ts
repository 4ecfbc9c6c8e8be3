import { describe, expect, it } from "vitest";
import { decodeStream, encodeStream, readFixture } from "../../test/wire-helpers.js";
import { collectEvents } from "@hedge/model-spec";
import { WireDecodeError } from "../codec.js";
import { parseSseText } from "../sse.js";
import { decodeChatRequest } from "./request-decode.js";
import { encodeChatRequest } from "./request-encode.js";
import { decodeChatResponse, encodeChatResponse } from "./response.js";

describe("decodeChatRequest", () => {
  it("hoists leading system messages, maps options and drops unknown or invalid fields", () => {
    const request = decodeChatRequest({
      model: "gpt-4.1",
      messages: [
        { role: "developer", content: "Rules." },
        {
          role: "user",
          content: [
            { type: "text", text: "Look" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAA" } },
            { type: "input_audio" },
          ],
        },
      ],
      max_completion_tokens: 100,
      stop: "END",
      stream: true,
      stream_options: { include_usage: true },
      temperature: "hot",
      frequency_penalty: 0.5,
      store: false,
    });
    expect(request.system).toBe("Rules.");
    expect(request.messages[0]?.content).toEqual([
      { type: "text", text: "Look" },
      { type: "image", source: { kind: "base64", media_type: "image/png", data: "AAA" } },
    ]);
    expect(request).toMatchObject({ max_tokens: 100, stop: ["END"], include_usage: true });
    expect(request.temperature).toBeUndefined();
    expect(request.dropped).toEqual([
      "frequency_penalty",
      "temperature (invalid)",
      "messages[1].content[2] (input_audio)",
    ]);
  });

  it("fails with a 400 only when a required field is wrong", () => {
    expect(() => decodeChatRequest({ model: "m", messages: "hi" })).toThrow(WireDecodeError);
    expect(() => decodeChatRequest([])).toThrow(/JSON object/);
  });
});

describe("encodeChatRequest", () => {
  it("always asks for stream usage and sends tool results as tool messages", () => {
    const body = encodeChatRequest(
      {
        model: "alias",
        messages: [
          {
            role: "assistant",
            content: [{ type: "tool_call", id: "c1", name: "f", arguments: "{}" }],
          },
          {
            role: "tool",
            content: [
              { type: "tool_result", call_id: "c1", content: [{ type: "text", text: "ok" }] },
            ],
          },
        ],
        stream: true,
        tool_choice: { name: "f" },
        metadata: {},
        dropped: [],
      },
      "qwen3",
    );
    expect(body).toMatchObject({
      model: "qwen3",
      stream_options: { include_usage: true },
      tool_choice: { type: "function", function: { name: "f" } },
      messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c1", content: "ok" },
      ],
    });
  });
});

describe("ChatStreamDecoder", () => {
  it("reads usage from a final chunk with choices: [] and puts it before finish", () => {
    const events = decodeStream("chat", readFixture("chat-text.chunks.txt"));
    expect(events.map((event) => event.type)).toEqual([
      "response.start",
      "text.delta",
      "text.delta",
      "usage",
      "finish",
    ]);
    expect(collectEvents(events)).toMatchObject({
      text: "Hello, world",
      usage: { input_tokens: 12, output_tokens: 4, cached_input_tokens: 8 },
      finish_reason: "stop",
    });
  });

  it("reads parallel tool calls, reasoning_content and a usage chunk with choices: null", () => {
    const events = decodeStream("chat", readFixture("chat-tool-calls.chunks.txt"), 5);
    const response = collectEvents(events);
    expect(response.reasoning?.text).toBe("Need the weather.");
    expect(response.tool_calls).toEqual([
      { id: "call_paris", name: "get_weather", arguments: '{"city":"Paris"}' },
      { id: "call_rome", name: "get_weather", arguments: '{"city":"Rome"}' },
    ]);
    expect(response).toMatchObject({ finish_reason: "tool_calls", usage: { reasoning_tokens: 5 } });
    expect(events.at(-1)).toEqual({ type: "finish", reason: "tool_calls" });
  });

  it("maps length and a mid-stream error after a 200", () => {
    expect(
      collectEvents(decodeStream("chat", readFixture("chat-length.chunks.txt"))).finish_reason,
    ).toBe("length");
    expect(decodeStream("chat", readFixture("chat-error.chunks.txt")).at(-1)).toEqual({
      type: "error",
      error: {
        status: 500,
        type: "server_error",
        message: "The server had an error while processing your request.",
      },
    });
  });

  it("turns a stream cut before finish into an error", () => {
    const cut = readFixture("chat-text.chunks.txt").split("\n\n").slice(0, 2).join("\n\n") + "\n\n";
    expect(decodeStream("chat", cut).at(-1)?.type).toBe("error");
  });
});

describe("ChatStreamEncoder", () => {
  it("writes role chunk, deltas, finish chunk, usage chunk with choices: [] and [DONE]", () => {
    const upstream = decodeStream("messages", readFixture("messages-tool-use.chunks.txt"));
    const messages = parseSseText(encodeStream("chat", upstream));
    expect(messages.at(-1)?.data).toBe("[DONE]");
    const chunks = messages
      .slice(0, -1)
      .map((message) => JSON.parse(message.data) as Record<string, unknown>);
    expect(chunks[0]).toMatchObject({
      object: "chat.completion.chunk",
      choices: [{ delta: { role: "assistant" } }],
    });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: "tool_calls" }] });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 40, completion_tokens: 30, total_tokens: 70 },
    });
    const toolStarts = chunks.flatMap(
      (chunk) => JSON.stringify(chunk).match(/"id":"toolu_\w+"/g) ?? [],
    );
    expect(toolStarts).toEqual(['"id":"toolu_paris"', '"id":"toolu_rome"']);
  });
});

describe("non-streaming", () => {
  it("decodes and re-encodes a chat.completion", () => {
    const events = decodeChatResponse({
      id: "chatcmpl-1",
      model: "gpt-4.1",
      choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    });
    const body = encodeChatResponse(collectEvents(events), "client-model");
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "client-model",
      choices: [{ message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 3, completion_tokens: 1 },
    });
  });
});
