import { describe, expect, it } from "vitest";
import { collectResponse } from "./collect.js";
import type { CanonicalEvent } from "./events.js";

async function* stream(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  for (const event of events) {
    await Promise.resolve();
    yield event;
  }
}

describe("collectResponse", () => {
  it("assembles text, reasoning, tool calls, usage and finish from an async stream", async () => {
    const response = await collectResponse(
      stream([
        { type: "response.start", id: "r1", model: "m" },
        { type: "reasoning.delta", text: "think" },
        { type: "reasoning.delta", text: "", signature: "sig" },
        { type: "text.delta", text: "a" },
        { type: "text.delta", text: "b" },
        { type: "tool_call.start", index: 0, id: "c", name: "f" },
        { type: "tool_call.delta", index: 0, arguments: '{"x"' },
        { type: "tool_call.end", index: 0, arguments: '{"x":1}' },
        {
          type: "usage",
          usage: { input_tokens: 1, output_tokens: 2, cached_input_tokens: 0, reasoning_tokens: 0 },
        },
        { type: "finish", reason: "tool_calls" },
      ]),
    );
    expect(response).toEqual({
      id: "r1",
      model: "m",
      text: "ab",
      reasoning: { text: "think", signature: "sig" },
      tool_calls: [{ id: "c", name: "f", arguments: '{"x":1}' }],
      usage: { input_tokens: 1, output_tokens: 2, cached_input_tokens: 0, reasoning_tokens: 0 },
      finish_reason: "tool_calls",
      error: undefined,
    });
  });

  it("counts a stream that never finished as an error", async () => {
    const response = await collectResponse([{ type: "text.delta", text: "cut" }]);
    expect(response.finish_reason).toBe("error");
    expect(response.error?.type).toBe("api_error");
  });
});
