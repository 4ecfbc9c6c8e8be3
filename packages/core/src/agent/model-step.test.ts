import { describe, expect, it } from "vitest";
import type { CanonicalRequest, ModelEvent } from "@hedge/model-spec";
import type { ModelStreamer } from "@hedge/gateway-client";
import { streamModel } from "./model-step.js";

function client(events: ModelEvent[]): ModelStreamer {
  return {
    async *stream() {
      await Promise.resolve();
      yield* events;
    },
  };
}

const request: CanonicalRequest = {
  model: "m",
  messages: [],
  stream: true,
  metadata: { role: "executor" },
  dropped: [],
};
const signal = new AbortController().signal;

describe("streamModel", () => {
  it("gathers text, reasoning to replay and tool calls in index order", async () => {
    const texts: string[] = [];
    const step = await streamModel(
      client([
        { type: "reasoning.delta", text: "think ", signature: "sig-1" },
        { type: "reasoning.delta", text: "more" },
        { type: "text.delta", text: "Reading " },
        { type: "text.delta", text: "both." },
        { type: "tool_call.start", index: 1, id: "call_b", name: "read_file" },
        { type: "tool_call.start", index: 0, id: "call_a", name: "list_dir" },
        { type: "tool_call.end", index: 1, arguments: '{"path":"b"}' },
        { type: "tool_call.end", index: 0, arguments: '{"path":"."}' },
        {
          type: "usage",
          usage: { input_tokens: 5, output_tokens: 6, cached_input_tokens: 0, reasoning_tokens: 2 },
        },
        { type: "finish", reason: "tool_calls" },
      ]),
      request,
      signal,
      { onText: (delta) => texts.push(delta) },
    );
    expect(step).toEqual({
      text: "Reading both.",
      reasoning: "think more",
      reasoningPart: { type: "reasoning", text: "think more", signature: "sig-1" },
      toolCalls: [
        { id: "call_a", name: "list_dir", arguments: '{"path":"."}' },
        { id: "call_b", name: "read_file", arguments: '{"path":"b"}' },
      ],
      usage: { input_tokens: 5, output_tokens: 6, cached_input_tokens: 0, reasoning_tokens: 2 },
      error: undefined,
    });
    expect(texts).toEqual(["Reading ", "both."]);
  });

  it("reports a model error and a stream that ended before it finished", async () => {
    const failed = await streamModel(
      client([
        { type: "text.delta", text: "partial" },
        { type: "error", error: { type: "overloaded_error", message: "overloaded" } },
      ]),
      request,
      signal,
    );
    expect(failed.error).toBe("model error: overloaded");
    const cut = await streamModel(
      client([{ type: "text.delta", text: "partial" }]),
      request,
      signal,
    );
    expect(cut.error).toMatch(/ended before it finished/);
  });
});
