import { describe, expect, it } from "vitest";
import { WireDecodeError } from "@hedge/wire";
import { countTokensBody } from "./count-tokens.js";

describe("countTokensBody", () => {
  it("estimates about four characters a token over system, messages and tools", () => {
    const counted = countTokensBody({
      model: "anthropic/claude-haiku-4-5",
      system: "x".repeat(40),
      messages: [
        { role: "user", content: "y".repeat(80) },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } }],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "z" }] },
      ],
      tools: [{ name: "Bash", description: "Run", input_schema: { type: "object" } }],
    });
    // 40 + 80 + ("Bash" + '{"command":"ls"}') 20 + 1 + ("Bash" + "Run" + '{"type":"object"}') 24 = 165
    expect(counted).toEqual({ input_tokens: 42 });
  });

  it("counts a flat cost per image and at least one token", () => {
    const image = {
      type: "image",
      source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
    };
    expect(countTokensBody({ model: "m", messages: [{ role: "user", content: [image] }] })).toEqual(
      { input_tokens: 1600 },
    );
    expect(countTokensBody({ model: "m", messages: [{ role: "user", content: "" }] })).toEqual({
      input_tokens: 1,
    });
  });

  it("rejects a body without messages as a caller error", () => {
    expect(() => countTokensBody({ model: "m" })).toThrow(WireDecodeError);
  });
});
