// The demo's model decides from what the tools returned: requests are built here the way the
// scripted upstream hands them over (conversation with tool results paired to their calls).
import type { ConversationEntry, ScriptedRequest, ScriptReply } from "@hedge/testkit";
import { describe, expect, it } from "vitest";
import { createDemoModel } from "./model.js";

const TEST_ARGS = JSON.stringify({ command: ["node", "test.js"] });
const NOT_RUN = JSON.stringify({
  error: {
    type: "sandbox_unavailable",
    message:
      "bubblewrap (bwrap) is not installed: the sandbox cannot run, so the command was not run; install bubblewrap",
  },
});

type Step = { tool: string; args: string; output: string; isError?: boolean } | { user: string };

let callCount = 0;
function request(steps: readonly Step[], toolNames = ["shell", "read_file", "apply_patch"]) {
  const conversation: ConversationEntry[] = [{ role: "system", text: "you are an agent" }];
  for (const step of steps) {
    if ("user" in step) {
      conversation.push({ role: "user", text: step.user });
      continue;
    }
    const id = `call_${(callCount += 1)}`;
    conversation.push({
      role: "assistant",
      text: "",
      toolCalls: [{ id, name: step.tool, arguments: step.args }],
    });
    conversation.push({
      role: "tool",
      callId: id,
      name: step.tool,
      arguments: step.args,
      output: step.output,
      isError: step.isError ?? false,
    });
  }
  const toolResults = conversation.flatMap(({ role, ...rest }) =>
    role === "tool" ? [rest as ScriptedRequest["toolResults"][number]] : [],
  );
  return {
    endpoint: "chat",
    model: "demo/scripted",
    body: {},
    lastUserText: "",
    toolNames,
    conversation,
    toolResults,
  } satisfies ScriptedRequest;
}

const qaRequest = () => request([{ user: "<user_request>…" }], ["report_verdict"]);
const task = { user: "make the tests pass" };
const ran = (exit: number, output: string): Step => ({
  tool: "shell",
  args: TEST_ARGS,
  output: `Exit code: ${exit}\nWall time: 0.1 seconds\nOutput:\n${output}\n`,
});
const notRun: Step = { tool: "shell", args: TEST_ARGS, output: NOT_RUN, isError: true };
const readMath: Step = {
  tool: "read_file",
  args: JSON.stringify({ path: "src/math.js" }),
  output: "     1\texport function add(a, b) {\n     2\t    return a - b; // sic\n     3\t}\n",
};
const patched: Step = { tool: "apply_patch", args: "{}", output: "M src/math.js" };

function calls(reply: ScriptReply | undefined): string[] {
  return (reply?.toolCalls ?? []).map((call) => `${call.name} ${JSON.stringify(call.arguments)}`);
}

function verdictOf(reply: ScriptReply | undefined): { verdict: string; reason: string } {
  const call = reply?.toolCalls?.[0];
  expect(call?.name).toBe("report_verdict");
  return call?.arguments as { verdict: string; reason: string };
}

describe("the demo's executor", () => {
  it("runs the test first, then reads the code when it fails", () => {
    const model = createDemoModel();
    expect(calls(model(request([task])))).toEqual([`shell ${TEST_ARGS}`]);
    expect(calls(model(request([task, ran(1, "FAIL add(2, 3) = -1")])))).toEqual([
      'read_file {"path":"src/math.js"}',
    ]);
  });

  it("patches the line it read, as it read it", () => {
    const model = createDemoModel();
    const reply = model(request([task, ran(1, "FAIL"), readMath]));
    expect(reply?.toolCalls?.[0]).toEqual({
      name: "apply_patch",
      arguments: {
        input:
          "*** Begin Patch\n*** Update File: src/math.js\n@@\n-    return a - b; // sic\n+    return a + b; // sic\n*** End Patch",
      },
    });
  });

  it("reruns the test after its patch and reports that run as it was", () => {
    const model = createDemoModel();
    expect(calls(model(request([task, ran(1, "FAIL"), readMath, patched])))).toEqual([
      `shell ${TEST_ARGS}`,
    ]);
    const failing = model(request([task, ran(1, "FAIL"), readMath, patched, ran(1, "FAIL 5")]));
    expect(failing).toEqual({
      text: "I changed src/math.js, but `node test.js` still fails: it exits 1 (FAIL 5).",
    });
  });

  it("says the test was not run, with the reason, and patches nothing", () => {
    const model = createDemoModel();
    const reply = model(request([task, notRun]));
    expect(reply?.toolCalls ?? []).toEqual([]);
    expect(reply?.text).toContain(
      "`node test.js` was not run: bubblewrap (bwrap) is not installed",
    );
  });

  it("runs the test again after QA sent it back", () => {
    const model = createDemoModel();
    const history = [task, ran(1, "FAIL"), readMath, patched, ran(1, "FAIL 5")];
    expect(
      calls(model(request([...history, { user: "[QA] You may not declare this done" }]))),
    ).toEqual([`shell ${TEST_ARGS}`]);
  });
});

describe("the demo's QA", () => {
  it("blocks when the test was not run, saying so", () => {
    const model = createDemoModel();
    model(request([task, notRun]));
    const verdict = verdictOf(model(qaRequest()));
    expect(verdict.verdict).toBe("block");
    expect(verdict.reason).toContain(
      "`node test.js` was not run: bubblewrap (bwrap) is not installed",
    );
  });

  it("blocks when the last run of the test failed, even after an earlier pass", () => {
    const model = createDemoModel();
    model(request([task, ran(0, "ok"), readMath, patched, ran(1, "FAIL add(2, 3) = 5")]));
    const verdict = verdictOf(model(qaRequest()));
    expect(verdict).toMatchObject({
      verdict: "block",
      reason: "`node test.js` still fails: it exits 1 (FAIL add(2, 3) = 5).",
    });
  });

  it("blocks when nothing shows the test ran", () => {
    const model = createDemoModel();
    model(request([task]));
    expect(verdictOf(model(qaRequest())).verdict).toBe("block");
  });

  it("passes only when the last run it saw exited 0", () => {
    const model = createDemoModel();
    model(request([task, ran(1, "FAIL"), readMath, patched, ran(0, "ok add(2, 3) = 5")]));
    expect(verdictOf(model(qaRequest()))).toMatchObject({
      verdict: "pass",
      reason: "The diff fixes add() and `node test.js` exits 0 (ok add(2, 3) = 5).",
    });
  });
});
