// runQa through the real gateway engine (embedded ModelClient) against the scripted upstream:
// what the QA model is sent on the wire, and how its answers become verdicts or failures.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGateway, gatewayConfigSchema, type Gateway } from "@hedge/gateway";
import { createModelClient, type ModelClient } from "@hedge/gateway-client";
import { runQa, type QaInput } from "@hedge/core";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";

let upstream: ScriptedUpstream;
let home: TempHome;
let gateway: Gateway;
let client: ModelClient;

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  home = await makeTempHome();
  gateway = await createGateway(
    gatewayConfigSchema.parse({
      store: "memory",
      providers: {
        anth: { type: "anthropic", base_url: `${upstream.url}/v1` },
        lab: { base_url: `${upstream.url}/v1`, wire: "chat" },
      },
    }),
    { home: home.path, env: {} },
  );
  client = createModelClient({ mode: "embedded", engine: gateway.engine });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await home.cleanup();
});
beforeEach(() => upstream.reset());

/** A turn from a longer conversation: only these parts may reach the QA model. */
const input: QaInput = {
  prompt: "Fix add() in src/math.js so the tests pass",
  lastMessage: "Fixed add(); all tests pass.",
  changes: [
    {
      path: "src/math.js",
      status: "modified",
      diff: [
        "diff --git a/src/math.js b/src/math.js",
        "--- a/src/math.js",
        "+++ b/src/math.js",
        "@@ -1,3 +1,3 @@",
        " export function add(a, b) {",
        "-  return a - b;",
        "+  return a + b; // TODO: overflow",
        " }",
      ].join("\n"),
    },
  ],
  note: "diff truncated: big.txt (diff budget 8000 tokens)",
  plan: [
    { step: "Fix add", status: "completed" },
    { step: "Run node test.js", status: "pending" },
  ],
};

function deps(model: string) {
  return { client, model, signal: new AbortController().signal, sessionId: "session-qa" };
}

function verdictReply(verdict: Record<string, unknown>) {
  return { toolCalls: [{ name: "report_verdict", arguments: verdict as Record<string, string> }] };
}

describe("runQa against the scripted upstream", () => {
  it("pass: sends exactly prompt, last message, diff, note and plan with a forced tool call (Messages)", async () => {
    upstream.push({
      ...verdictReply({ verdict: "pass", tasks: [], reason: "add() adds now." }),
      usage: { inputTokens: 700, outputTokens: 30 },
    });
    const result = await runQa(input, deps("anth/claude-haiku-4-5"));
    expect(result).toMatchObject({
      ok: true,
      verdict: { verdict: "pass", tasks: [], reason: "add() adds now." },
      usage: { input_tokens: 700, output_tokens: 30 },
      route: { provider: "anth", upstreamModel: "claude-haiku-4-5" },
    });

    expect(upstream.requests).toHaveLength(1);
    const body = upstream.requests[0]?.body as {
      model: string;
      system: unknown;
      messages: { role: string; content: unknown }[];
      tools: { name: string; input_schema: Record<string, unknown> }[];
      tool_choice: unknown;
    };
    expect(body.model).toBe("claude-haiku-4-5");
    expect(body.tool_choice).toMatchObject({ type: "tool", name: "report_verdict" });
    expect(body.tools.map((tool) => tool.name)).toEqual(["report_verdict"]);
    expect(body.tools[0]?.input_schema).toMatchObject({
      type: "object",
      required: ["verdict", "tasks", "reason"],
      properties: { verdict: { enum: ["pass", "add_tasks", "block"] } },
    });
    expect(JSON.stringify(body.system)).toContain("QA verifier");
    // One user message holding the turn's material, nothing before or after it.
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]?.role).toBe("user");
    const content = body.messages[0]?.content as { type: string; text: string }[];
    expect(content.map((part) => part.type)).toEqual(["text"]);
    const sent = content[0]?.text ?? "";
    for (const part of [
      "<user_request>\nFix add() in src/math.js so the tests pass\n</user_request>",
      "<agent_final_message>\nFixed add(); all tests pass.\n</agent_final_message>",
      '<file path="src/math.js" status="modified">\ndiff --git a/src/math.js b/src/math.js',
      "+  return a + b; // TODO: overflow",
      "<note>\ndiff truncated: big.txt (diff budget 8000 tokens)\n</note>",
      "<plan>\n- [completed] Fix add\n- [pending] Run node test.js\n</plan>",
    ]) {
      expect(sent).toContain(part);
    }
  });

  it("add_tasks and block come back with their tasks and reason (Chat Completions)", async () => {
    upstream.push(
      verdictReply({
        verdict: "add_tasks",
        tasks: ["Run node test.js and report the result"],
        reason: "The tests were not run.",
      }),
      verdictReply({
        verdict: "block",
        tasks: ["Remove the TODO in src/math.js"],
        reason: "The final message claims the tests pass, but nothing ran them.",
      }),
    );
    expect(await runQa(input, deps("lab/qa-small"))).toMatchObject({
      ok: true,
      verdict: { verdict: "add_tasks", tasks: ["Run node test.js and report the result"] },
      route: { provider: "lab", upstreamModel: "qa-small" },
    });
    expect(await runQa(input, deps("lab/qa-small"))).toMatchObject({
      ok: true,
      verdict: { verdict: "block", tasks: ["Remove the TODO in src/math.js"] },
    });
    const body = upstream.requests[0]?.body as { tool_choice: unknown; messages: unknown[] };
    expect(body.tool_choice).toEqual({ type: "function", function: { name: "report_verdict" } });
    // Chat: the system message plus the one user message.
    expect(body.messages).toHaveLength(2);
  });

  it("an invalid verdict, malformed arguments or a text answer is ok: false", async () => {
    upstream.push(
      verdictReply({ verdict: "add_tasks", tasks: [], reason: "incomplete" }),
      { toolCalls: [{ name: "report_verdict", arguments: '{"verdict": "pass", "tasks": [' }] },
      { text: "Everything looks good to me." },
      verdictReply({ verdict: "maybe", tasks: [], reason: "unsure" }),
    );
    const results = [];
    for (let index = 0; index < 4; index += 1) results.push(await runQa(input, deps("anth/h")));
    expect(results.map((result) => result.ok)).toEqual([false, false, false, false]);
    const errors = results.map((result) => (result.ok ? "" : result.error));
    expect(errors[0]).toMatch(/invalid: tasks: add_tasks needs at least one task/);
    expect(errors[1]).toMatch(/arguments are not JSON/);
    expect(errors[2]).toMatch(/answered in text instead of calling report_verdict/);
    expect(errors[3]).toMatch(/invalid: verdict:/);
    // A failed call still reports its usage for accounting.
    expect(results[2]?.usage?.output_tokens).toBeGreaterThan(0);
  });

  it("an upstream failure is ok: false with the gateway's message", async () => {
    upstream.push({ status: 400, error: { message: "model not available" } });
    const result = await runQa(input, deps("anth/h"));
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(/^QA model call failed: .*model not available/);
  });
});
