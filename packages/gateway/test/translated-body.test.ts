import { afterEach, describe, expect, it } from "vitest";
import { codecFor } from "@hedge/wire";
import { labProvider, startHarness, type Harness } from "./routing-harness.js";

// Messages in, Chat upstream: the upstream gets the body the canonical decode → encode gives,
// whether the gateway writes it from the inbound bytes or falls back to parsing it.

let harness: Harness<"lab"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** What the parse-everything path would send upstream for a Messages body, as JSON. */
function expectedUpstream(body: unknown, upstreamModel: string): unknown {
  const canonical = codecFor("messages").decodeRequest(body);
  return JSON.parse(JSON.stringify(codecFor("chat").encodeRequest(canonical, upstreamModel)));
}

const claudeCodeLike = {
  model: "m",
  max_tokens: 2048,
  stream: false,
  system: [
    { type: "text", text: "x-anthropic-billing-header: cc_version=2.1; cch=ab12;" },
    { type: "text", text: "You are a coding agent.", cache_control: { type: "ephemeral" } },
  ],
  messages: [
    { role: "user", content: 'fix "model": \u00e9' },
    {
      role: "assistant",
      content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } }],
    },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: "a.ts" },
        { type: "text", text: "go on" },
      ],
    },
  ],
  tools: [
    {
      name: "Bash",
      description: "Run a command",
      input_schema: { type: "object", properties: { command: { type: "string" } } },
    },
  ],
  metadata: { user_id: "user_x_session_1" },
};

describe("translated request bodies (Messages in, Chat upstream)", () => {
  it("reach the upstream as the canonical translation, written from the bytes or parsed", async () => {
    const h = await startHarness({
      upstreams: ["lab"],
      providers: (urls) => ({ lab: labProvider(urls.lab) }),
      aliases: { m: "lab/m" },
    });
    harness = h;
    h.up.lab.push({ text: "ok", repeat: true });
    const image = {
      ...claudeCodeLike,
      messages: [
        {
          role: "user",
          content: [{ type: "image", source: { type: "url", url: "https://example.com/a.png" } }],
        },
      ],
    };
    for (const body of [claudeCodeLike, { ...claudeCodeLike, stream: true }, image]) {
      const response = await h.post("/v1/messages", body);
      expect(response.status).toBe(200);
      await response.text();
      const sent: unknown = JSON.parse(h.up.lab.requests.at(-1)?.rawBody ?? "");
      expect(sent).toEqual(expectedUpstream(body, "m"));
    }
  });
});
