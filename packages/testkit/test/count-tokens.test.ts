import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedUpstream, type ScriptedUpstream } from "../src/index.js";
import { anthropicClient } from "./clients.js";

const messages = [{ role: "user" as const, content: "hello" }];
const tools = [
  {
    name: "read_file",
    description: "Read a file",
    input_schema: { type: "object" as const, properties: { path: { type: "string" } } },
  },
];

describe("count_tokens, parsed by @anthropic-ai/sdk", () => {
  let upstream: ScriptedUpstream;
  beforeAll(async () => {
    upstream = await startScriptedUpstream();
  });
  afterAll(() => upstream.close());

  it("answers input_tokens, deterministically, and more with tools than without", async () => {
    const client = anthropicClient(upstream);
    const bare = await client.messages.countTokens({ model: "claude-sonnet-4-5", messages });
    const again = await client.messages.countTokens({ model: "claude-sonnet-4-5", messages });
    const withTools = await client.messages.countTokens({
      model: "claude-sonnet-4-5",
      messages,
      tools,
    });
    expect(Object.keys(bare)).toEqual(["input_tokens"]);
    expect(again.input_tokens).toBe(bare.input_tokens);
    expect(bare.input_tokens).toBe(Math.ceil(JSON.stringify({ messages }).length / 4));
    expect(withTools.input_tokens).toBe(Math.ceil(JSON.stringify({ messages, tools }).length / 4));
    const recorded = upstream.requestsTo("/v1/messages/count_tokens");
    expect(recorded).toHaveLength(3);
    // A count is no model call: the script was not consumed.
    expect(upstream.remaining).toBe(0);
  });

  it("refuses a body without messages with Anthropic's error shape", async () => {
    const response = await fetch(`${upstream.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-sonnet-4-5" }),
    });
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { type?: string; error?: { type?: unknown } };
    expect(answer.type).toBe("error");
    expect(typeof answer.error?.type).toBe("string");
  });
});
