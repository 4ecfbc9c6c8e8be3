import { describe, expect, it } from "vitest";
import { decodeStream, encodeStream, readFixture } from "../../test/wire-helpers.js";
import { collectEvents, namespacedToolNames } from "@hedge/model-spec";
import { parseSseText } from "../sse.js";
import { decodeResponsesRequest } from "./request-decode.js";
import { encodeResponsesRequest } from "./request-encode.js";
import { decodeResponsesResponse, encodeResponsesResponse } from "./response.js";
import { ResponsesStreamEncoder } from "./stream-encoder.js";

/** Roughly what Codex CLI sends. */
const codexBody = {
  model: "gpt-5-codex",
  instructions: "You are Codex.",
  input: [
    {
      type: "message",
      role: "developer",
      content: [{ type: "input_text", text: "Sandbox: workspace-write." }],
    },
    { type: "message", role: "user", content: [{ type: "input_text", text: "list files" }] },
    {
      type: "reasoning",
      id: "rs_1",
      summary: [{ type: "summary_text", text: "Use ls." }],
      encrypted_content: "gAAAA",
    },
    {
      type: "function_call",
      call_id: "call_1",
      name: "read",
      namespace: "mcp__fs",
      arguments: '{"path":"."}',
    },
    { type: "function_call_output", call_id: "call_1", output: "a.ts" },
    { type: "web_search_call", id: "ws_1", status: "completed" },
  ],
  tools: [
    {
      type: "function",
      name: "shell",
      description: "Run",
      parameters: { type: "object", properties: {} },
      strict: false,
    },
    {
      type: "namespace",
      name: "mcp__fs",
      description: "Files",
      tools: [
        { type: "function", name: "read", parameters: { type: "object", properties: {} } },
        { type: "custom", name: "patch" },
      ],
    },
    { type: "web_search" },
    { type: "local_shell" },
  ],
  tool_choice: "auto",
  parallel_tool_calls: false,
  reasoning: { effort: "medium", summary: "auto" },
  store: false,
  stream: true,
  include: ["reasoning.encrypted_content"],
  prompt_cache_key: "conv-123",
};

describe("decodeResponsesRequest", () => {
  it("accepts Codex requests: namespaces flattened, hosted tools and items dropped", () => {
    const request = decodeResponsesRequest(codexBody);
    expect(request.system).toBe("You are Codex.\n\nSandbox: workspace-write.");
    expect(request.tools?.map((tool) => tool.name)).toEqual(["shell", "mcp__fs__read"]);
    expect(request.tools?.[1]?.namespace).toBe("mcp__fs");
    expect(request.messages.map((message) => message.role)).toEqual(["user", "assistant", "tool"]);
    expect(request.messages[1]?.content).toEqual([
      { type: "reasoning", text: "Use ls.", encrypted_content: "gAAAA", id: "rs_1" },
      { type: "tool_call", id: "call_1", name: "mcp__fs__read", arguments: '{"path":"."}' },
    ]);
    expect(request).toMatchObject({
      parallel_tool_calls: false,
      reasoning: { effort: "medium", summary: "auto" },
    });
    expect(request.metadata.session_id).toBe("conv-123");
    expect(request.dropped).toEqual([
      "input[5] (web_search_call)",
      "tools[1].tools[1] (custom)",
      "tools[2] (web_search)",
      "tools[3] (local_shell)",
    ]);
  });
});

describe("encodeResponsesRequest", () => {
  it("sends a stateless request that replays encrypted reasoning", () => {
    const body = encodeResponsesRequest(decodeResponsesRequest(codexBody), "gpt-5");
    expect(body).toMatchObject({
      model: "gpt-5",
      store: false,
      include: ["reasoning.encrypted_content"],
      instructions: "You are Codex.\n\nSandbox: workspace-write.",
    });
    expect(body["input"]).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "list files" }] },
      {
        type: "reasoning",
        id: "rs_1",
        summary: [{ type: "summary_text", text: "Use ls." }],
        encrypted_content: "gAAAA",
      },
      {
        type: "function_call",
        call_id: "call_1",
        name: "mcp__fs__read",
        arguments: '{"path":"."}',
      },
      { type: "function_call_output", call_id: "call_1", output: "a.ts" },
    ]);
  });
});

describe("ResponsesStreamDecoder", () => {
  it("reads reasoning summaries, encrypted reasoning, text and cached usage", () => {
    expect(
      collectEvents(decodeStream("responses", readFixture("responses-text.chunks.txt"), 11)),
    ).toMatchObject({
      id: "resp_abc",
      text: "Hello, world",
      reasoning: { text: "Greeting the user.", encrypted_content: "gAAAAenc" },
      usage: { input_tokens: 12, cached_input_tokens: 8, output_tokens: 4 },
      finish_reason: "stop",
    });
  });

  it("numbers function calls from 0 after a message item and finishes with tool_calls", () => {
    const events = decodeStream("responses", readFixture("responses-tool-calls.chunks.txt"));
    expect(events.filter((event) => event.type === "tool_call.start")).toEqual([
      { type: "tool_call.start", index: 0, id: "call_paris", name: "get_weather" },
      { type: "tool_call.start", index: 1, id: "call_rome", name: "get_weather" },
    ]);
    expect(collectEvents(events).finish_reason).toBe("tool_calls");
  });

  it("maps incomplete with max_output_tokens to length, and an error event to an error", () => {
    expect(
      collectEvents(decodeStream("responses", readFixture("responses-incomplete.chunks.txt")))
        .finish_reason,
    ).toBe("length");
    expect(decodeStream("responses", readFixture("responses-error.chunks.txt")).at(-1)).toEqual({
      type: "error",
      error: {
        status: 500,
        type: "server_error",
        message: "The server had an error while processing your request.",
      },
    });
  });
});

describe("ResponsesStreamEncoder", () => {
  it("writes the full event family with increasing sequence numbers and usage on completion", () => {
    const upstream = decodeStream("messages", readFixture("messages-tool-use.chunks.txt"));
    const messages = parseSseText(encodeStream("responses", upstream));
    const data = messages.map((message) => JSON.parse(message.data) as Record<string, unknown>);
    expect(messages.every((message, index) => message.event === data[index]?.["type"])).toBe(true);
    expect(data.map((event) => event["sequence_number"])).toEqual(data.map((_, index) => index));
    expect(messages.map((message) => message.event)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.reasoning_summary_part.added",
      "response.reasoning_summary_text.delta",
      "response.reasoning_summary_text.done",
      "response.reasoning_summary_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(data.at(-1)).toMatchObject({
      response: {
        status: "completed",
        usage: { input_tokens: 40, output_tokens: 30, total_tokens: 70 },
        output: [
          { type: "reasoning" },
          { type: "message" },
          { type: "function_call" },
          { type: "function_call" },
        ],
      },
    });
  });

  it("writes response.incomplete for length and re-nests namespaced calls", () => {
    const request = decodeResponsesRequest(codexBody);
    const encoder = new ResponsesStreamEncoder({
      namespacedTools: namespacedToolNames(request.tools),
    });
    let text = encoder.encode({ type: "response.start", id: "resp_1", model: "m" });
    text += encoder.encode({
      type: "tool_call.start",
      index: 0,
      id: "call_9",
      name: "mcp__fs__read",
    });
    text += encoder.encode({ type: "tool_call.end", index: 0, arguments: "{}" });
    text += encoder.encode({ type: "finish", reason: "length" });
    const last = parseSseText(text).at(-1);
    expect(last?.event).toBe("response.incomplete");
    expect(JSON.parse(last?.data ?? "")).toMatchObject({
      response: {
        status: "incomplete",
        incomplete_details: { reason: "max_output_tokens" },
        output: [{ type: "function_call", name: "read", namespace: "mcp__fs" }],
      },
    });
  });

  it("ends with error and response.failed on a canonical error", () => {
    const events = parseSseText(
      encodeStream("responses", decodeStream("messages", readFixture("messages-error.chunks.txt"))),
    );
    expect(events.slice(-2).map((event) => event.event)).toEqual(["error", "response.failed"]);
  });
});

describe("non-streaming", () => {
  it("decodes and re-encodes a response object", () => {
    const events = decodeResponsesResponse({
      id: "resp_1",
      object: "response",
      status: "completed",
      model: "gpt-5",
      output: [
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hi" }] },
        { type: "function_call", call_id: "c", name: "f", arguments: "{}" },
      ],
      usage: { input_tokens: 3, output_tokens: 2 },
    });
    const response = collectEvents(events);
    expect(response).toMatchObject({
      text: "Hi",
      finish_reason: "tool_calls",
      tool_calls: [{ id: "c", name: "f" }],
    });
    expect(encodeResponsesResponse(response, "client")).toMatchObject({
      object: "response",
      status: "completed",
      model: "client",
      output_text: "Hi",
      output: [{ type: "message" }, { type: "function_call", call_id: "c" }],
    });
  });
});
