import { afterEach, describe, expect, it } from "vitest";
import {
  startScriptedUpstream,
  type ScriptedRequest,
  type ScriptedUpstream,
  type ScriptReply,
} from "../src/index.js";
import { anthropicClient, openAiClient } from "./clients.js";

let upstream: ScriptedUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

/** A model that reports the exit code its last `run` call returned; it remembers what it saw. */
function start(): Promise<{ upstream: ScriptedUpstream; seen: ScriptedRequest[] }> {
  const seen: ScriptedRequest[] = [];
  const respond = (request: ScriptedRequest): ScriptReply | undefined => {
    seen.push(request);
    const last = request.toolResults.at(-1);
    if (last === undefined) return undefined;
    const exit = /Exit code: (\d+)/.exec(last.output)?.[1];
    return {
      text: `${last.name ?? "?"} ${last.arguments ?? "?"} ${exit === undefined ? "was not run" : `exited ${exit}`}${last.isError ? " (error)" : ""}`,
    };
  };
  return startScriptedUpstream({ respond, script: { replies: [{ text: "from the queue" }] } }).then(
    (started) => {
      upstream = started;
      return { upstream: started, seen };
    },
  );
}

describe("a reply function decides from what the tools returned", () => {
  it("Chat Completions: sees each tool result with its call's name and arguments", async () => {
    const { upstream, seen } = await start();
    const completion = await openAiClient(upstream).chat.completions.create({
      model: "m",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "run the tests" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c1", type: "function", function: { name: "run", arguments: '{"cmd":"t"}' } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "Exit code: 1\nOutput:\nFAIL" },
      ],
      tools: [{ type: "function", function: { name: "run", parameters: { type: "object" } } }],
    });
    expect(completion.choices[0]?.message.content).toBe('run {"cmd":"t"} exited 1');
    expect(seen[0]).toMatchObject({
      endpoint: "chat",
      lastUserText: "run the tests",
      toolNames: ["run"],
      conversation: [
        { role: "system", text: "be brief" },
        { role: "user", text: "run the tests" },
        { role: "assistant", toolCalls: [{ id: "c1", name: "run" }] },
        { role: "tool", callId: "c1", name: "run", output: "Exit code: 1\nOutput:\nFAIL" },
      ],
    });
  });

  it("Responses: pairs function_call_output with its function_call", async () => {
    const { upstream } = await start();
    const response = await openAiClient(upstream).responses.create({
      model: "m",
      input: [
        { role: "user", content: "run the tests" },
        { type: "function_call", call_id: "c2", name: "run", arguments: '{"cmd":"u"}' },
        { type: "function_call_output", call_id: "c2", output: "Exit code: 0\nOutput:\nok" },
      ],
    });
    expect(response.output_text).toBe('run {"cmd":"u"} exited 0');
  });

  it("Messages: sees tool_result blocks, is_error included", async () => {
    const { upstream, seen } = await start();
    const message = await anthropicClient(upstream).messages.create({
      model: "m",
      max_tokens: 100,
      messages: [
        { role: "user", content: "run the tests" },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_1", name: "run", input: { cmd: "v" } }],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_1",
              is_error: true,
              content: '{"error":{"type":"sandbox_unavailable","message":"not run"}}',
            },
          ],
        },
      ],
    });
    expect(message.content).toMatchObject([
      { type: "text", text: 'run {"cmd":"v"} was not run (error)' },
    ]);
    expect(seen[0]?.toolResults).toEqual([
      {
        callId: "toolu_1",
        name: "run",
        arguments: '{"cmd":"v"}',
        output: '{"error":{"type":"sandbox_unavailable","message":"not run"}}',
        isError: true,
      },
    ]);
  });

  it("leaves a request to the scripted replies when it returns nothing", async () => {
    const { upstream } = await start();
    const completion = await openAiClient(upstream).chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(completion.choices[0]?.message.content).toBe("from the queue");
    expect(upstream.remaining).toBe(0);
  });

  it("answers 500 naming the field when the reply it returns is invalid", async () => {
    upstream = await startScriptedUpstream({
      respond: () => ({ toolCalls: [{ name: 3 }] }) as unknown as ScriptReply,
    });
    const response = await fetch(`${upstream.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] }),
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("respond().toolCalls[0].name");
  });
});
