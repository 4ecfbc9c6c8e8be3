import { describe, expect, it } from "vitest";
import type { ModelRequest, ModelStreamer } from "@hedge/gateway-client";
import type { ModelEvent } from "@hedge/model-spec";
import { runQa, type QaInput } from "./verifier.js";

/** A client that records requests and answers with scripted events. */
function scriptedClient(events: ModelEvent[] | (() => never)): {
  client: ModelStreamer;
  requests: ModelRequest[];
} {
  const requests: ModelRequest[] = [];
  const client: ModelStreamer = {
    async *stream(request) {
      requests.push(request);
      await Promise.resolve();
      if (typeof events === "function") events();
      else yield* events;
    },
  };
  return { client, requests };
}

const route: ModelEvent = {
  type: "route.selected",
  provider: "anthropic",
  model: "anthropic/claude-haiku-4-5",
  upstreamModel: "claude-haiku-4-5",
  credential: "profile:work",
  profile: "work",
};
const usage: ModelEvent = {
  type: "usage",
  usage: { input_tokens: 900, output_tokens: 40, cached_input_tokens: 0, reasoning_tokens: 0 },
};

function verdictCall(argumentsText: string): ModelEvent[] {
  return [
    route,
    { type: "tool_call.start", index: 0, id: "toolu_1", name: "report_verdict" },
    { type: "tool_call.end", index: 0, arguments: argumentsText },
    usage,
    { type: "finish", reason: "tool_calls" },
  ];
}

const input: QaInput = {
  prompt: "make add() add",
  lastMessage: "Fixed add(); tests pass.",
  changes: [
    {
      path: "src/math.js",
      status: "modified",
      diff: "@@ -1 +1 @@\n-  return a - b;\n+  return a + b;\n",
    },
    { path: "docs/guide.md", status: "renamed", oldPath: "docs/old.md", diff: "" },
  ],
  note: "diff omitted: docs/guide.md (diff budget 10 tokens)",
  plan: [
    { step: "Fix add", status: "completed" },
    { step: "Run the tests", status: "pending" },
  ],
};

function deps(client: ModelStreamer) {
  return {
    client,
    model: "qa-model",
    signal: new AbortController().signal,
    sessionId: "s-1",
  };
}

describe("runQa", () => {
  it("forces report_verdict and shows exactly the turn's material", async () => {
    const { client, requests } = scriptedClient(
      verdictCall('{"verdict":"pass","tasks":[],"reason":"add() is fixed."}'),
    );
    const result = await runQa(input, deps(client));
    expect(result).toEqual({
      ok: true,
      verdict: { verdict: "pass", tasks: [], reason: "add() is fixed." },
      usage: { input_tokens: 900, output_tokens: 40, cached_input_tokens: 0, reasoning_tokens: 0 },
      route: {
        provider: "anthropic",
        model: "anthropic/claude-haiku-4-5",
        upstreamModel: "claude-haiku-4-5",
        profile: "work",
      },
    });
    const request = requests[0];
    expect(request?.tool_choice).toEqual({ name: "report_verdict" });
    expect(request?.tools?.map((tool) => tool.name)).toEqual(["report_verdict"]);
    expect(request?.tools?.[0]?.parameters).toMatchObject({
      type: "object",
      required: ["verdict", "tasks", "reason"],
      additionalProperties: false,
      properties: { verdict: { enum: ["pass", "add_tasks", "block"] } },
    });
    expect(request?.metadata).toEqual({ role: "qa", session_id: "s-1" });
    expect(request?.messages).toHaveLength(1);
    const text = request?.messages[0]?.content[0];
    expect(text?.type).toBe("text");
    const body = text?.type === "text" ? text.text : "";
    expect(body).toContain("<user_request>\nmake add() add\n</user_request>");
    expect(body).toContain(
      "<agent_final_message>\nFixed add(); tests pass.\n</agent_final_message>",
    );
    expect(body).toContain("- [completed] Fix add\n- [pending] Run the tests");
    expect(body).toContain('<file path="src/math.js" status="modified">');
    expect(body).toContain("+  return a + b;");
    expect(body).toContain('<file path="docs/guide.md" status="renamed" from="docs/old.md">');
    expect(body).toContain("<note>\ndiff omitted: docs/guide.md (diff budget 10 tokens)\n</note>");
  });

  it("asks the gateway for the QA role's profile pool only", async () => {
    const { client, requests } = scriptedClient(
      verdictCall('{"verdict":"pass","tasks":[],"reason":"Fine."}'),
    );
    await runQa(input, { ...deps(client), profiles: ["spare"] });
    expect(requests[0]?.metadata).toEqual({ role: "qa", session_id: "s-1", profiles: ["spare"] });
  });

  it("passes on a profile switch the gateway made for the QA call", async () => {
    const [, ...rest] = verdictCall('{"verdict":"pass","tasks":[],"reason":"Fine."}');
    const { client } = scriptedClient([
      { ...route, switchedFrom: "home", switchReason: "home is near its rate limit" },
      ...rest,
    ]);
    const result = await runQa(input, deps(client));
    expect(result.route).toEqual({
      provider: "anthropic",
      model: "anthropic/claude-haiku-4-5",
      upstreamModel: "claude-haiku-4-5",
      profile: "work",
      switchedFrom: "home",
      switchReason: "home is near its rate limit",
    });
  });

  it("returns add_tasks and block verdicts with their tasks", async () => {
    const tasks = scriptedClient(
      verdictCall(
        JSON.stringify({
          verdict: "add_tasks",
          tasks: ["Add a test for add()"],
          reason: "No test.",
        }),
      ),
    );
    expect(await runQa(input, deps(tasks.client))).toMatchObject({
      ok: true,
      verdict: { verdict: "add_tasks", tasks: ["Add a test for add()"] },
    });
    const block = scriptedClient(
      verdictCall(JSON.stringify({ verdict: "block", tasks: [], reason: "No test ran." })),
    );
    expect(await runQa(input, deps(block.client))).toMatchObject({
      ok: true,
      verdict: { verdict: "block", reason: "No test ran." },
    });
  });

  it.each([
    ["arguments that are not JSON", verdictCall("{verdict: pass"), /not JSON: \{verdict: pass/],
    [
      "arguments outside the schema",
      verdictCall('{"verdict":"add_tasks","tasks":[],"reason":"missing work"}'),
      /arguments are invalid: tasks: add_tasks needs at least one task/,
    ],
    [
      "text instead of a tool call",
      [
        route,
        { type: "text.delta", text: "Looks good to me!" },
        { type: "finish", reason: "stop" },
      ] satisfies ModelEvent[],
      /answered in text instead of calling report_verdict: "Looks good to me!"/,
    ],
    [
      "a model error",
      [
        route,
        { type: "error", error: { type: "overloaded_error", message: "overloaded" } },
      ] satisfies ModelEvent[],
      /QA model call failed: model error: overloaded/,
    ],
  ])("fails (ok: false) on %s", async (_name, events, error) => {
    const { client } = scriptedClient(events);
    const result = await runQa(input, deps(client));
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.error).toMatch(error);
  });

  it("reports a thrown client error and an interruption as failures", async () => {
    const broken = scriptedClient(() => {
      throw new Error("no route for role qa");
    });
    expect(await runQa(input, deps(broken.client))).toEqual({
      ok: false,
      error: "QA model call failed: no route for role qa",
    });
    const abort = new AbortController();
    abort.abort();
    const interrupted = scriptedClient(() => {
      throw new Error("aborted");
    });
    expect(
      await runQa(input, { client: interrupted.client, model: "m", signal: abort.signal }),
    ).toEqual({ ok: false, error: "QA model call failed: interrupted" });
  });

  it("says so when nothing changed and there is no plan", async () => {
    const { client, requests } = scriptedClient(
      verdictCall('{"verdict":"pass","tasks":[],"reason":"Answered."}'),
    );
    await runQa(
      { prompt: "what does add do?", lastMessage: "It adds.", changes: [] },
      deps(client),
    );
    const part = requests[0]?.messages[0]?.content[0];
    const body = part?.type === "text" ? part.text : "";
    expect(body).toContain("No files changed.");
    expect(body).toContain("(no plan was recorded)");
    expect(body).not.toContain("<note>");
  });
});
