import { describe, expect, it } from "vitest";
import { collectEvents, type CanonicalEvent } from "@hedge/model-spec";
import { isJsonObject, type JsonObject } from "../json.js";
import { encodeMessagesRequest } from "../messages/request-encode.js";
import { parseSseText } from "../sse.js";
import { unwrapAnthropicThinking, wrapAnthropicThinking } from "./carried-thinking.js";
import { decodeResponsesRequest } from "./request-decode.js";
import { encodeResponsesRequest } from "./request-encode.js";
import { encodeResponsesResponse } from "./response.js";
import { ResponsesStreamEncoder } from "./stream-encoder.js";

/** An Anthropic turn with signed thinking and a tool call, as canonical events. */
const thinkingTurn: CanonicalEvent[] = [
  { type: "response.start", id: "msg_1", model: "claude" },
  { type: "reasoning.delta", text: "Run the " },
  { type: "reasoning.delta", text: "command." },
  { type: "reasoning.delta", text: "", signature: "sig-A" },
  { type: "tool_call.start", index: 0, id: "toolu_1", name: "exec_command" },
  { type: "tool_call.end", index: 0, arguments: '{"cmd":"ls"}' },
  { type: "finish", reason: "tool_calls" },
];

function streamedOutputItems(events: readonly CanonicalEvent[]): JsonObject[] {
  const encoder = new ResponsesStreamEncoder({ model: "m" });
  const text = events.map((event) => encoder.encode(event)).join("");
  return parseSseText(text)
    .map((message) => JSON.parse(message.data) as JsonObject)
    .filter((data) => data["type"] === "response.output_item.done")
    .map((data) => data["item"])
    .filter(isJsonObject);
}

/** What Codex sends on its next request: its prompt, then the output items replayed as given. */
function codexReplay(items: readonly JsonObject[]): JsonObject {
  return {
    model: "m",
    stream: true,
    store: false,
    include: ["reasoning.encrypted_content"],
    reasoning: { effort: "high", summary: "auto" },
    input: [
      { type: "message", role: "user", content: [{ type: "input_text", text: "list files" }] },
      ...items.map((item) => ({ ...item, content: null })),
      { type: "function_call_output", call_id: "toolu_1", output: "a.ts" },
    ],
  };
}

describe("Anthropic thinking through a Responses client", () => {
  it("streams the signed thinking as encrypted_content and restores it for Anthropic", () => {
    const items = streamedOutputItems(thinkingTurn);
    const reasoning = items.find((item) => item["type"] === "reasoning");
    expect(reasoning?.["summary"]).toEqual([{ type: "summary_text", text: "Run the command." }]);
    expect(unwrapAnthropicThinking(String(reasoning?.["encrypted_content"]))).toEqual({
      thinking: "Run the command.",
      signature: "sig-A",
    });

    const body = encodeMessagesRequest(decodeResponsesRequest(codexReplay(items)), "claude");
    const messages = body["messages"] as { role: string; content: JsonObject[] }[];
    expect(messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Run the command.", signature: "sig-A" },
        { type: "tool_use", id: "toolu_1", name: "exec_command", input: { cmd: "ls" } },
      ],
    });
  });

  it("gives each signed thinking block its own reasoning item", () => {
    const items = streamedOutputItems([
      { type: "response.start", id: "msg_1", model: "claude" },
      { type: "reasoning.delta", text: "First.", signature: "sig-1" },
      { type: "reasoning.delta", text: "Second." },
      { type: "reasoning.delta", text: "", signature: "sig-2" },
      { type: "text.delta", text: "Done." },
      { type: "finish", reason: "stop" },
    ]);
    const carried = items
      .filter((item) => item["type"] === "reasoning")
      .map((item) => unwrapAnthropicThinking(String(item["encrypted_content"])));
    expect(carried).toEqual([
      { thinking: "First.", signature: "sig-1" },
      { thinking: "Second.", signature: "sig-2" },
    ]);
  });

  it("carries the signature in a non-streaming response too", () => {
    const body = encodeResponsesResponse(collectEvents(thinkingTurn), "m");
    const output = body["output"] as JsonObject[];
    expect(unwrapAnthropicThinking(String(output[0]?.["encrypted_content"]))).toEqual({
      thinking: "Run the command.",
      signature: "sig-A",
    });
  });

  it("never sends carried thinking to an OpenAI Responses upstream, but keeps OpenAI's own", () => {
    const carried = {
      type: "reasoning",
      summary: [],
      encrypted_content: wrapAnthropicThinking("t", "s"),
    };
    const own = { type: "reasoning", summary: [], encrypted_content: "gAAAA-openai" };
    const request = decodeResponsesRequest({
      model: "m",
      input: [{ type: "message", role: "user", content: "hi" }, carried, own],
    });
    const input = encodeResponsesRequest(request, "gpt")["input"] as JsonObject[];
    expect(input.filter((item) => item["type"] === "reasoning")).toEqual([
      { type: "reasoning", summary: [], encrypted_content: "gAAAA-openai" },
    ]);
  });

  it("ignores encrypted_content that is not its own or is damaged", () => {
    expect(unwrapAnthropicThinking("gAAAA-openai")).toBeUndefined();
    expect(unwrapAnthropicThinking("hedge.anthropic-thinking.v1:%%%")).toBeUndefined();
  });
});
