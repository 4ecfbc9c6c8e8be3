import { describe, expect, it } from "vitest";
import type { CanonicalMessage } from "@hedge/model-spec";
import { estimateTokens } from "./compaction.js";

// About 300 KB of base64: what a screenshot looks like inline.
const screenshot = {
  type: "image",
  source: { kind: "base64", media_type: "image/png", data: "A".repeat(400_000) },
} as const;

describe("estimateTokens", () => {
  it("counts about four characters a token", () => {
    const messages: CanonicalMessage[] = [
      { role: "user", content: [{ type: "text", text: "x".repeat(4_000) }] },
    ];
    expect(estimateTokens(messages)).toBeGreaterThanOrEqual(1_000);
    expect(estimateTokens(messages)).toBeLessThan(1_100);
  });

  it("counts an image as a flat cost, not by its base64 bytes", () => {
    const messages: CanonicalMessage[] = [
      { role: "user", content: [{ type: "text", text: "what is on screen?" }, screenshot] },
      {
        role: "tool",
        content: [{ type: "tool_result", call_id: "call_1", content: [screenshot] }],
      },
    ];
    const tokens = estimateTokens(messages);
    expect(tokens).toBeGreaterThanOrEqual(2 * 1_600);
    expect(tokens).toBeLessThan(2 * 1_600 + 100);
  });
});
