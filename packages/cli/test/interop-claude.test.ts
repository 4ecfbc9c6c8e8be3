import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "@hedge/testkit";
import {
  CLAUDE_BIN,
  TOOL_RUN_LIMIT_MS,
  describeRun,
  runTool,
  useInteropGateway,
  type ToolRun,
} from "./interop-tools.js";

// Unmodified Claude Code (`claude -p`, Anthropic Messages) against `hedge gateway serve`,
// translated to a Chat upstream (`oai/…`) and passed through to a Messages upstream (`anth/…`).
// Claude Code is pointed at loopback only: ANTHROPIC_BASE_URL is the gateway, nonessential
// traffic, telemetry and the updater are off (with these it opens no other connection, checked
// with strace), and HOME and CLAUDE_CONFIG_DIR are temp dirs.
const interop = useInteropGateway();

/** The `--output-format json` result of `claude -p`. */
interface ClaudeResult {
  type: string;
  subtype: string;
  is_error: boolean;
  result: string;
  num_turns: number;
}

async function runClaude(
  provider: string,
  prompt: string,
  extraArgs: readonly string[] = [],
): Promise<{ run: ToolRun; result: ClaudeResult | undefined }> {
  const dir = await makeTempDir("hedge-claude-");
  try {
    const work = join(dir.path, "work");
    mkdirSync(work);
    const run = await runTool(CLAUDE_BIN, ["-p", prompt, "--output-format", "json", ...extraArgs], {
      env: {
        HOME: dir.path,
        CLAUDE_CONFIG_DIR: join(dir.path, ".claude"),
        ANTHROPIC_BASE_URL: interop.gateway.url,
        ANTHROPIC_AUTH_TOKEN: interop.gatewayKey,
        ANTHROPIC_MODEL: `${provider}/model-x`,
        // Background calls (titles, summaries) go to the small model; scripted to repeat.
        ANTHROPIC_SMALL_FAST_MODEL: `${provider}/haiku-x`,
        ANTHROPIC_DEFAULT_HAIKU_MODEL: `${provider}/haiku-x`,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_ERROR_REPORTING: "1",
        DISABLE_AUTOUPDATER: "1",
      },
      cwd: work,
    });
    const line = run.stdout
      .split("\n")
      .reverse()
      .find((text) => text.startsWith("{"));
    return { run, result: line === undefined ? undefined : (JSON.parse(line) as ClaudeResult) };
  } finally {
    await dir.cleanup();
  }
}

type Body = Record<string, unknown>;
type ChatMessage = { role: string; content: string | null; tool_calls?: Body[] };
type AnthropicMessage = { role: string; content: string | Body[] };

/** Requests to the interop.upstream for the main model (background small-model calls excluded). */
function mainModelRequests(path: string): Body[] {
  return interop.upstream
    .requestsTo(path)
    .map((request) => request.body as Body)
    .filter((body) => body["model"] === "model-x");
}

describe.each([
  { provider: "oai", upstreamPath: "/v1/chat/completions", passThrough: false },
  { provider: "anth", upstreamPath: "/v1/messages", passThrough: true },
])("claude -p through the gateway to $provider", ({ provider, upstreamPath, passThrough }) => {
  const smallModelReply = {
    match: { model: "haiku-x" },
    repeat: true,
    text: "Gateway interop",
  } as const;

  it(
    "answers a prompt with the scripted text",
    async () => {
      interop.upstream.push(smallModelReply, {
        match: { model: "model-x" },
        text: "Hello from the scripted model.",
      });
      const { run, result } = await runClaude(provider, "Say hello to the gateway.");

      expect(run.code, describeRun(run)).toBe(0);
      expect(result).toMatchObject({
        type: "result",
        is_error: false,
        result: "Hello from the scripted model.",
      });
      const [body] = mainModelRequests(upstreamPath);
      expect(body, "the interop.upstream got the main-model request").toBeDefined();
      expect(JSON.stringify(body)).toContain("Say hello to the gateway.");
      const recorded = interop.upstream.requestsTo(upstreamPath)[0]!;
      // The gateway key authenticates the client to the gateway and never travels interop.upstream.
      expect(JSON.stringify(recorded.headers)).not.toContain(interop.gatewayKey);
      if (passThrough) {
        // Same wire: Claude Code's body and beta flags arrive as sent.
        expect(recorded.headers["anthropic-beta"]).toContain("claude-code-");
        expect(JSON.stringify(body!["system"])).toContain("x-anthropic-billing-header");
      } else {
        // Translated: a Chat body, with the per-request billing line kept out of the prompt.
        const messages = body!["messages"] as ChatMessage[];
        expect(messages[0]?.role).toBe("system");
        expect(JSON.stringify(messages)).not.toContain("x-anthropic-billing-header");
      }
    },
    TOOL_RUN_LIMIT_MS + 30_000,
  );

  it(
    "runs the Bash tool the model asks for, then answers",
    async () => {
      interop.upstream.push(
        smallModelReply,
        {
          match: { model: "model-x" },
          toolCalls: [
            {
              name: "Bash",
              arguments: { command: "echo hedge-$((6*7))", description: "Print the marker" },
            },
          ],
        },
        { match: { model: "model-x" }, text: "The command printed hedge-42." },
      );
      const { run, result } = await runClaude(provider, "Print the marker.", [
        "--allowedTools",
        "Bash",
      ]);

      expect(run.code, describeRun(run)).toBe(0);
      expect(result).toMatchObject({ is_error: false, result: "The command printed hedge-42." });
      const received = mainModelRequests(upstreamPath);
      expect(received).toHaveLength(2);
      if (passThrough) {
        const messages = received[1]!["messages"] as AnthropicMessage[];
        const toolResult = (messages.at(-1)?.content as Body[]).find(
          (block) => block["type"] === "tool_result",
        );
        expect(JSON.stringify(toolResult)).toContain("hedge-42");
      } else {
        const messages = received[1]!["messages"] as ChatMessage[];
        const call = messages.find((message) => message.tool_calls !== undefined);
        expect(JSON.stringify(call?.tool_calls)).toContain('"Bash"');
        const toolMessage = messages.find((message) => message.role === "tool");
        expect(toolMessage?.content).toContain("hedge-42");
      }
    },
    TOOL_RUN_LIMIT_MS + 30_000,
  );
});

describe("count_tokens", () => {
  it("answers Anthropic's token count endpoint with an estimate, behind the gateway key", async () => {
    const request = {
      model: "anth/model-x",
      system: "You are terse.",
      messages: [{ role: "user", content: "Count these tokens, please." }],
    };
    const counted = await fetch(`${interop.gateway.url}/v1/messages/count_tokens?beta=true`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
        authorization: `Bearer ${interop.gatewayKey}`,
      },
      body: JSON.stringify(request),
    });
    expect(counted.status).toBe(200);
    expect(await counted.json()).toEqual({ input_tokens: 11 });
    expect(interop.upstream.requests).toHaveLength(0);

    const anonymous = await fetch(`${interop.gateway.url}/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(request),
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
  });
});
