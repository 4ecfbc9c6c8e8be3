import { describe, expect, it } from "vitest";
import { decodeStream, encodeStream, readFixture } from "../../test/wire-helpers.js";
import { collectEvents, type CanonicalEvent, type CanonicalRequest } from "@hedge/model-spec";
import { parseSseText } from "../sse.js";
import { encodeMessagesError, encodeMessagesErrorFrame } from "./error.js";
import { decodeMessagesRequest } from "./request-decode.js";
import { encodeMessagesRequest } from "./request-encode.js";
import { decodeMessagesResponse, encodeMessagesResponse } from "./response.js";

/** Roughly what Claude Code sends. */
const claudeCodeBody = {
  model: "claude-sonnet-4-5",
  max_tokens: 32000,
  stream: true,
  system: [
    { type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } },
    { type: "text", text: "Env: linux." },
  ],
  messages: [
    {
      role: "user",
      content: [{ type: "text", text: "fix it", cache_control: { type: "ephemeral" } }],
    },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Look first.", signature: "sig" },
        { type: "redacted_thinking", data: "opaque" },
        { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
      ],
    },
    {
      role: "user",
      content: [
        {
          type: "tool_result",
          tool_use_id: "toolu_1",
          content: [{ type: "text", text: "a.ts" }],
          is_error: false,
        },
        { type: "text", text: "go on" },
      ],
    },
  ],
  tools: [
    {
      name: "Bash",
      description: "Run a command",
      input_schema: { type: "object", properties: {} },
    },
    { type: "web_search_20250305", name: "web_search", max_uses: 5 },
  ],
  thinking: { type: "enabled", budget_tokens: 4000 },
  metadata: { user_id: "user_abc_account__session_0f1e2d" },
  context_management: { edits: [] },
};

describe("decodeMessagesRequest", () => {
  it("accepts Claude Code requests: system blocks, thinking, tool results, metadata", () => {
    const request = decodeMessagesRequest(claudeCodeBody);
    expect(request.system).toBe("You are Claude Code.\n\nEnv: linux.");
    expect(request.reasoning).toEqual({ budget_tokens: 4000 });
    expect(request.metadata).toEqual({
      user: "user_abc_account__session_0f1e2d",
      session_id: "0f1e2d",
    });
    expect(request.messages.map((message) => message.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "user",
    ]);
    expect(request.messages[1]?.content[0]).toEqual({
      type: "reasoning",
      text: "Look first.",
      signature: "sig",
    });
    expect(request.messages[2]?.content[0]).toEqual({
      type: "tool_result",
      call_id: "toolu_1",
      content: [{ type: "text", text: "a.ts" }],
    });
    expect(request.tools?.map((tool) => tool.name)).toEqual(["Bash"]);
    expect(request.dropped).toEqual([
      "context_management",
      "messages[1].content[1] (redacted_thinking)",
      "tools[1] (web_search_20250305)",
      "cache_control",
    ]);
  });
});

describe("decodeMessagesRequest with Claude Code 2.1 shapes", () => {
  it("keeps a mid-conversation system message in place, text only", () => {
    const request = decodeMessagesRequest({
      model: "m",
      max_tokens: 64,
      messages: [
        { role: "user", content: "hi" },
        {
          role: "system",
          content: [
            { type: "text", text: "# Environment\nlinux" },
            { type: "tool_addition", tool_name: "Bash" },
          ],
        },
        { role: "assistant", content: "hello" },
        { role: "user", content: "again" },
        { role: "system", content: "Be brief." },
      ],
    });
    expect(request.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "hi" }] },
      { role: "system", content: [{ type: "text", text: "# Environment\nlinux" }] },
      { role: "assistant", content: [{ type: "text", text: "hello" }] },
      { role: "user", content: [{ type: "text", text: "again" }] },
      { role: "system", content: [{ type: "text", text: "Be brief." }] },
    ]);
    expect(request.dropped).toEqual(["messages[1].content[1] (tool_addition)"]);
  });

  it("drops the billing-header block from the system prompt", () => {
    const request = decodeMessagesRequest({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      system: [
        {
          type: "text",
          text: "x-anthropic-billing-header: cc_version=2.1.332.1c9; cc_entrypoint=sdk-cli; cch=3e0f1;",
        },
        { type: "text", text: "You are a Claude agent." },
      ],
    });
    expect(request.system).toBe("You are a Claude agent.");
    expect(request.dropped).toEqual(["system[0] (x-anthropic-billing-header)"]);
  });

  it("reads the session from a JSON user_id", () => {
    const userId = JSON.stringify({ device_id: "d1", account_uuid: "", session_id: "3f24-b44e" });
    const request = decodeMessagesRequest({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      metadata: { user_id: userId },
    });
    expect(request.metadata).toEqual({ user: userId, session_id: "3f24-b44e" });
  });
});

describe("encodeMessagesRequest", () => {
  const base: CanonicalRequest = {
    model: "m",
    messages: [],
    stream: true,
    metadata: {},
    dropped: [],
  };

  it("defaults max_tokens, hoists system messages and maps tool_choice required to any", () => {
    const body = encodeMessagesRequest(
      {
        ...base,
        system: "Top.",
        messages: [
          { role: "system", content: [{ type: "text", text: "Later." }] },
          { role: "user", content: [{ type: "text", text: "hi" }] },
        ],
        tool_choice: "required",
        parallel_tool_calls: false,
        temperature: 1.6,
      },
      "claude-haiku-4-5",
    );
    expect(body).toMatchObject({
      model: "claude-haiku-4-5",
      max_tokens: 8192,
      system: "Top.\n\nLater.",
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      temperature: 1,
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    });
  });

  it("merges consecutive tool results into one user message, results first", () => {
    const body = encodeMessagesRequest(
      {
        ...base,
        messages: [
          {
            role: "assistant",
            content: [
              { type: "reasoning", text: "unsigned, from another provider" },
              { type: "tool_call", id: "a", name: "f", arguments: '{"x":1}' },
              { type: "tool_call", id: "b", name: "f", arguments: "" },
            ],
          },
          {
            role: "tool",
            content: [{ type: "tool_result", call_id: "a", content: "1", is_error: true }],
          },
          { role: "tool", content: [{ type: "tool_result", call_id: "b", content: "2" }] },
          { role: "user", content: [{ type: "text", text: "and?" }] },
        ],
      },
      "claude",
    );
    expect(body["messages"]).toEqual([
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "a", name: "f", input: { x: 1 } },
          { type: "tool_use", id: "b", name: "f", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "a", content: "1", is_error: true },
          { type: "tool_result", tool_use_id: "b", content: "2" },
          { type: "text", text: "and?" },
        ],
      },
    ]);
  });

  it("raises max_tokens above the thinking budget and drops sampling overrides", () => {
    const body = encodeMessagesRequest(
      { ...base, max_tokens: 1000, temperature: 0.2, reasoning: { effort: "high" } },
      "claude",
    );
    expect(body).toMatchObject({
      thinking: { type: "enabled", budget_tokens: 16384 },
      max_tokens: 16384 + 8192,
    });
    expect(body["temperature"]).toBeUndefined();
  });
});

describe("MessagesStreamDecoder", () => {
  it("numbers tool calls densely from 0 after thinking and text blocks, buffering input_json_delta", () => {
    const events = decodeStream("messages", readFixture("messages-tool-use.chunks.txt"), 3);
    const toolEvents = events.filter((event) => event.type.startsWith("tool_call."));
    expect(toolEvents).toEqual([
      { type: "tool_call.start", index: 0, id: "toolu_paris", name: "get_weather" },
      { type: "tool_call.delta", index: 0, arguments: '{"city":' },
      { type: "tool_call.delta", index: 0, arguments: ' "Paris"}' },
      { type: "tool_call.end", index: 0, arguments: '{"city": "Paris"}' },
      { type: "tool_call.start", index: 1, id: "toolu_rome", name: "get_weather" },
      { type: "tool_call.delta", index: 1, arguments: '{"city": "Rome"}' },
      { type: "tool_call.end", index: 1, arguments: '{"city": "Rome"}' },
    ]);
    expect(collectEvents(events)).toMatchObject({
      text: "Checking.",
      reasoning: { text: "Need the weather.", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3h" },
      finish_reason: "tool_calls",
      usage: { input_tokens: 40, output_tokens: 30 },
    });
  });

  it("maps end_turn to stop, max_tokens to length and counts cache reads as cached input", () => {
    expect(
      collectEvents(decodeStream("messages", readFixture("messages-text.chunks.txt"))),
    ).toMatchObject({
      finish_reason: "stop",
      usage: { input_tokens: 12, cached_input_tokens: 8, output_tokens: 4 },
    });
    expect(
      collectEvents(decodeStream("messages", readFixture("messages-max-tokens.chunks.txt")))
        .finish_reason,
    ).toBe("length");
  });

  it("turns an error event after a 200 into a canonical error", () => {
    expect(decodeStream("messages", readFixture("messages-error.chunks.txt")).at(-1)).toEqual({
      type: "error",
      error: { status: 529, type: "overloaded_error", message: "Overloaded" },
    });
  });
});

describe("MessagesStreamEncoder", () => {
  it("writes the full event family with usage, stop_reason and dense block indexes", () => {
    const upstream = decodeStream("chat", readFixture("chat-tool-calls.chunks.txt"));
    const messages = parseSseText(encodeStream("messages", upstream));
    expect(messages.map((message) => message.event)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop", // thinking
      "content_block_start",
      "content_block_delta",
      "content_block_stop", // text
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop", // tool 0
      "content_block_start",
      "content_block_delta",
      "content_block_stop", // tool 1
      "message_delta",
      "message_stop",
    ]);
    const data = messages.map((message) => JSON.parse(message.data) as Record<string, unknown>);
    expect(
      data
        .filter((event) => event["type"] === "content_block_start")
        .map((event) => event["index"]),
    ).toEqual([0, 1, 2, 3]);
    expect(data.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: {
        input_tokens: 40,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 30,
      },
    });
  });

  it("serialises interleaved tool calls into consecutive blocks", () => {
    const events: CanonicalEvent[] = [
      { type: "response.start", id: "r", model: "m" },
      { type: "tool_call.start", index: 0, id: "a", name: "f" },
      { type: "tool_call.start", index: 1, id: "b", name: "g" },
      { type: "tool_call.delta", index: 1, arguments: '{"y":2}' },
      { type: "tool_call.delta", index: 0, arguments: '{"x":1}' },
      { type: "tool_call.end", index: 1, arguments: '{"y":2}' },
      { type: "text.delta", text: "late" },
      { type: "tool_call.end", index: 0, arguments: '{"x":1}' },
      { type: "finish", reason: "tool_calls" },
    ];
    const response = collectEvents(decodeStream("messages", encodeStream("messages", events)));
    expect(response.tool_calls).toEqual([
      { id: "a", name: "f", arguments: '{"x":1}' },
      { id: "b", name: "g", arguments: '{"y":2}' },
    ]);
    expect(response.text).toBe("late");
  });

  it("ends with an Anthropic error frame on a canonical error", () => {
    const text = encodeStream("messages", [
      { type: "error", error: { status: 429, type: "rate_limit_exceeded", message: "slow down" } },
    ]);
    expect(text.endsWith(encodeMessagesErrorFrame(429, "rate_limit_error", "slow down"))).toBe(
      true,
    );
    expect(encodeMessagesError(503, "server_error", "x")).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "x" },
    });
  });
});

describe("non-streaming", () => {
  it("decodes and re-encodes a message with thinking and tool_use", () => {
    const events = decodeMessagesResponse({
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude",
      content: [
        { type: "thinking", thinking: "hmm", signature: "s" },
        { type: "text", text: "Calling." },
        { type: "tool_use", id: "toolu_1", name: "f", input: { a: 1 } },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: 10, output_tokens: 5 },
    });
    expect(encodeMessagesResponse(collectEvents(events), "client")).toMatchObject({
      type: "message",
      model: "client",
      content: [
        { type: "thinking", thinking: "hmm", signature: "s" },
        { type: "text", text: "Calling." },
        { type: "tool_use", id: "toolu_1", name: "f", input: { a: 1 } },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: 10, output_tokens: 5 },
    });
  });
});
