import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "@hedge/testkit";
import {
  CODEX_BIN,
  TOOL_RUN_LIMIT_MS,
  codexConfig,
  describeRun,
  runTool,
  useInteropGateway,
  type ToolRun,
} from "./interop-tools.js";

// Unmodified Codex CLI (`codex exec`, Responses API) against `hedge gateway serve`, which
// translates to an Anthropic Messages upstream (`anth/…`) and to a Chat upstream (`oai/…`).
// Codex is pointed at loopback only: its provider is the gateway, update checks, analytics,
// plugins and apps are off (with these settings it opens no other connection, checked with
// strace), and its home is a temp dir.
const interop = useInteropGateway();

/** One line of `codex exec --json`. */
interface CodexEvent {
  type: string;
  item?: {
    type: string;
    text?: string;
    command?: string;
    aggregated_output?: string;
    exit_code?: number | null;
    status?: string;
  };
}

async function runCodex(
  model: string,
  prompt: string,
  extraArgs: readonly string[] = [],
): Promise<{ run: ToolRun; events: CodexEvent[] }> {
  const dir = await makeTempDir("hedge-codex-");
  try {
    const codexHome = join(dir.path, "codex-home");
    const work = join(dir.path, "work");
    mkdirSync(codexHome);
    mkdirSync(work);
    writeFileSync(join(codexHome, "config.toml"), codexConfig(interop.gateway.url));
    const run = await runTool(
      CODEX_BIN,
      ["exec", "--skip-git-repo-check", "--json", "--model", model, ...extraArgs, prompt],
      {
        env: { HOME: dir.path, CODEX_HOME: codexHome, HEDGE_GATEWAY_KEY: interop.gatewayKey },
        cwd: work,
      },
    );
    const events = run.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as CodexEvent);
    return { run, events };
  } finally {
    await dir.cleanup();
  }
}

function completedItems(
  events: readonly CodexEvent[],
  type: string,
): NonNullable<CodexEvent["item"]>[] {
  return events.flatMap((event) =>
    event.type === "item.completed" && event.item?.type === type ? [event.item] : [],
  );
}

type Body = Record<string, unknown>;
type AnthropicMessage = { role: string; content: string | Body[] };
type ChatMessage = { role: string; content: string | null; tool_calls?: Body[] };

describe.each([
  { provider: "anth", upstreamPath: "/v1/messages" },
  { provider: "oai", upstreamPath: "/v1/chat/completions" },
])("codex exec through the gateway to $provider", ({ provider, upstreamPath }) => {
  const model = `${provider}/model-x`;

  it(
    "answers a prompt with the scripted text",
    async () => {
      interop.upstream.push({ text: "Hello from the scripted model.", usage: { outputTokens: 7 } });
      const { run, events } = await runCodex(model, "Say hello to the gateway.");

      expect(run.code, describeRun(run)).toBe(0);
      expect(completedItems(events, "agent_message").map((item) => item.text)).toEqual([
        "Hello from the scripted model.",
      ]);
      expect(events.at(-1)?.type).toBe("turn.completed");
      const received = interop.upstream.requestsTo(upstreamPath);
      expect(received).toHaveLength(1);
      const body = received[0]!.body as Body;
      // Translated from Responses: the interop.upstream model name, Codex's function tools, the prompt.
      expect(body["model"]).toBe("model-x");
      expect(body["stream"]).toBe(true);
      expect(JSON.stringify(body["tools"])).toContain('"exec_command"');
      expect(JSON.stringify(body)).toContain("Say hello to the gateway.");
      // The gateway key was required: the same call without it is refused.
      const anonymous = await fetch(`${interop.gateway.url}/v1/responses`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, input: "hi" }),
      });
      expect(anonymous.status).toBe(401);
    },
    TOOL_RUN_LIMIT_MS + 30_000,
  );

  it(
    "runs the shell command the model asks for, then answers",
    async () => {
      interop.upstream.push(
        {
          reasoning: "Run the command first.",
          reasoningSignature: "sig-interop",
          toolCalls: [{ name: "exec_command", arguments: { cmd: "echo hedge-$((6*7))" } }],
        },
        { text: "The command printed hedge-42." },
      );
      // Codex's own sandbox cannot start here (its helper is not installed under a temp
      // CODEX_HOME), so the command runs unsandboxed in a throwaway directory.
      const { run, events } = await runCodex(model, "Print the marker.", [
        "--dangerously-bypass-approvals-and-sandbox",
        "-c",
        'model_reasoning_effort="high"',
      ]);

      expect(run.code, describeRun(run)).toBe(0);
      const commands = completedItems(events, "command_execution");
      expect(commands).toHaveLength(1);
      expect(commands[0]).toMatchObject({ exit_code: 0, status: "completed" });
      expect(commands[0]?.aggregated_output).toContain("hedge-42");
      expect(completedItems(events, "agent_message").map((item) => item.text)).toEqual([
        "The command printed hedge-42.",
      ]);

      const received = interop.upstream
        .requestsTo(upstreamPath)
        .map((request) => request.body as Body);
      expect(received).toHaveLength(2);
      if (provider === "anth") {
        // Reasoning effort became extended thinking, and the signed thinking came back before
        // the tool_use (Anthropic rejects a tool_use turn without it while thinking is on).
        expect(received[0]!["thinking"]).toMatchObject({ type: "enabled" });
        const messages = received[1]!["messages"] as AnthropicMessage[];
        const assistant = messages.find((message) => message.role === "assistant");
        expect(assistant?.content).toEqual([
          { type: "thinking", thinking: "Run the command first.", signature: "sig-interop" },
          expect.objectContaining({ type: "tool_use", name: "exec_command" }),
        ]);
        const result = (messages.at(-1)?.content as Body[])[0];
        expect(result).toMatchObject({ type: "tool_result" });
        expect(JSON.stringify(result)).toContain("hedge-42");
      } else {
        expect(received[0]!["reasoning_effort"]).toBe("high");
        const messages = received[1]!["messages"] as ChatMessage[];
        const call = messages.find((message) => message.tool_calls !== undefined);
        expect(JSON.stringify(call?.tool_calls)).toContain("exec_command");
        const result = messages.at(-1);
        expect(result?.role).toBe("tool");
        expect(result?.content).toContain("hedge-42");
      }
    },
    TOOL_RUN_LIMIT_MS + 30_000,
  );
});
