import { describe, expect, it } from "vitest";
import { collectEvents, type WireFormat } from "@hedge/model-spec";
import { WIRE_CODECS } from "../src/registry.js";
import { decodeStream, encodeStream, readFixture, WIRES } from "./wire-helpers.js";

/** One conversation with a tool round trip, as each client wire would send it. */
const inboundBodies: Record<WireFormat, unknown> = {
  chat: {
    model: "hedge/executor",
    stream: true,
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: "18C" },
    ],
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    ],
    tool_choice: "required",
  },
  responses: {
    model: "hedge/executor",
    stream: true,
    instructions: "Be brief.",
    input: [
      {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "Weather in Paris?" }],
      },
      {
        type: "function_call",
        call_id: "call_1",
        name: "get_weather",
        arguments: '{"city":"Paris"}',
      },
      { type: "function_call_output", call_id: "call_1", output: "18C" },
    ],
    tools: [
      {
        type: "function",
        name: "get_weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
    ],
    tool_choice: "required",
  },
  messages: {
    model: "hedge/executor",
    stream: true,
    max_tokens: 1024,
    system: "Be brief.",
    messages: [
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "18C" }] },
    ],
    tools: [
      {
        name: "get_weather",
        input_schema: { type: "object", properties: { city: { type: "string" } } },
      },
    ],
    tool_choice: { type: "any" },
  },
};

const upstreamFixtures: Record<WireFormat, string[]> = {
  chat: [
    "chat-text.chunks.txt",
    "chat-tool-calls.chunks.txt",
    "chat-length.chunks.txt",
    "chat-error.chunks.txt",
  ],
  responses: [
    "responses-text.chunks.txt",
    "responses-tool-calls.chunks.txt",
    "responses-incomplete.chunks.txt",
    "responses-error.chunks.txt",
  ],
  messages: [
    "messages-text.chunks.txt",
    "messages-tool-use.chunks.txt",
    "messages-max-tokens.chunks.txt",
    "messages-error.chunks.txt",
  ],
};

describe.each(WIRES)("inbound %s", (inbound) => {
  it.each(WIRES)("decodes to a request that encodes sanely for upstream %s", (upstream) => {
    const request = WIRE_CODECS[inbound].decodeRequest(inboundBodies[inbound]);
    expect(request.dropped).toEqual([]);
    expect(request.system).toBe("Be brief.");
    // Round trip through the upstream wire and back keeps the conversation.
    const body = WIRE_CODECS[upstream].encodeRequest(request, "upstream-model");
    expect(body["model"]).toBe("upstream-model");
    const again = WIRE_CODECS[upstream].decodeRequest(body);
    expect(again.system).toBe("Be brief.");
    expect(again.tool_choice).toBe("required");
    expect(again.tools?.map((tool) => tool.name)).toEqual(["get_weather"]);
    const parts = again.messages.flatMap((message) =>
      message.content.map((part) => `${message.role}:${part.type}`),
    );
    expect(parts).toEqual(["user:text", "assistant:tool_call", "tool:tool_result"]);
    const call = again.messages[1]?.content[0];
    expect(call?.type === "tool_call" && JSON.parse(call.arguments)).toEqual({ city: "Paris" });
  });

  describe.each(WIRES)("served by upstream %s", (upstream) => {
    it.each(upstreamFixtures[upstream])(
      "%s keeps text, tool calls, usage and finish",
      (fixture) => {
        const upstreamEvents = decodeStream(upstream, readFixture(fixture), 7);
        const expected = collectEvents(upstreamEvents);
        const clientStream = encodeStream(inbound, upstreamEvents);
        const seenByClient = collectEvents(decodeStream(inbound, clientStream));
        expect(seenByClient.text).toBe(expected.text);
        expect(
          seenByClient.tool_calls.map(({ name, arguments: args }) => ({
            name,
            args: JSON.parse(args) as unknown,
          })),
        ).toEqual(
          expected.tool_calls.map(({ name, arguments: args }) => ({
            name,
            args: JSON.parse(args) as unknown,
          })),
        );
        expect(seenByClient.finish_reason).toBe(expected.finish_reason);
        // Anthropic usage has no reasoning-token count; everything else survives every pair.
        const expectedUsage =
          inbound === "messages" && expected.usage !== undefined
            ? { ...expected.usage, reasoning_tokens: 0 }
            : expected.usage;
        if (expected.error === undefined) expect(seenByClient.usage).toEqual(expectedUsage);
        else expect(seenByClient.error?.message).toBe(expected.error.message);
      },
    );
  });
});
