import type { CanonicalMessage } from "@hedge/model-spec";
import { describe, expect, it } from "vitest";
import { fitForSummary } from "./compaction-input.js";
import { estimateTokens } from "./token-estimate.js";

const user = (text: string): CanonicalMessage => ({
  role: "user",
  content: [{ type: "text", text }],
});

describe("fitForSummary", () => {
  it("leaves messages that fit as they are", () => {
    const messages = [user("hello"), user("world")];
    expect(fitForSummary(messages, 1_000)).toEqual(messages);
  });

  it("clips only the oversized message, keeping both of its ends", () => {
    const huge = `BEGIN ${"x".repeat(400_000)} END`;
    const messages: CanonicalMessage[] = [
      user("what does this log say?"),
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "thinking", signature: "sig" },
          { type: "tool_call", id: "call_1", name: "shell", arguments: '{"command":["cat"]}' },
        ],
      },
      { role: "tool", content: [{ type: "tool_result", call_id: "call_1", content: huge }] },
    ];
    const fitted = fitForSummary(messages, 2_000);
    expect(fitted).toBeDefined();
    expect(estimateTokens(fitted ?? [])).toBeLessThanOrEqual(2_000);
    expect(fitted?.[0]).toEqual(messages[0]);
    expect(fitted?.[1]).toEqual(messages[1]);
    const result = JSON.stringify(fitted?.[2]);
    expect(result).toContain("BEGIN");
    expect(result).toContain("END");
    expect(result).toContain("characters left out for the summary");
  });

  it("gives up when even clipped messages cannot fit", () => {
    const messages = Array.from({ length: 100 }, (_, index) =>
      user(`message ${index} `.repeat(50)),
    );
    expect(fitForSummary(messages, 500)).toBeUndefined();
  });
});
