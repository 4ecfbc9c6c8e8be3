// The model of the exec demo, played by the scripted upstream: it decides each reply from what
// hedge's tools really returned, never from a fixed script. As executor it runs the test, reads
// the code, patches the line it saw and reruns the test; its answer reports the last run as it
// was. As QA it passes the turn only when the last run of the test it saw exited 0, and blocks
// (saying why) when the test failed or was not run at all.
import type {
  ConversationToolResult,
  Responder,
  ScriptedRequest,
  ScriptReply,
} from "@hedge/testkit";

/** The test the demo repository ships, as the agent runs it. */
export const TEST_COMMAND = ["node", "test.js"];
const TEST = `\`${TEST_COMMAND.join(" ")}\``;
const SOURCE = "src/math.js";

/** One run of the test as the shell tool reported it. */
export type TestRun =
  { ran: true; exitCode: number | undefined; firstLine: string } | { ran: false; reason: string };

/** Reads a shell tool result: `Exit code: N … Output:` when it ran, an error object when not. */
export function readTestRun(output: string): TestRun {
  const exit = /^Exit code: (\S+)$/m.exec(output);
  if (exit) {
    const code = Number(exit[1]);
    const after = output.split(/^Output:$/m)[1] ?? "";
    const firstLine = after.split("\n").find((line) => line.trim() !== "") ?? "(no output)";
    return { ran: true, exitCode: Number.isInteger(code) ? code : undefined, firstLine };
  }
  return { ran: false, reason: errorMessage(output) };
}

function errorMessage(output: string): string {
  try {
    const parsed = JSON.parse(output) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") return parsed.error.message;
  } catch {
    // not JSON: the output itself says what happened
  }
  return output.trim() || "(no output)";
}

function isTestRun(result: ConversationToolResult): boolean {
  if (result.name !== "shell" || result.arguments === undefined) return false;
  try {
    const parsed = JSON.parse(result.arguments) as { command?: unknown };
    return JSON.stringify(parsed.command) === JSON.stringify(TEST_COMMAND);
  } catch {
    return false;
  }
}

function passed(run: TestRun): boolean {
  return run.ran && run.exitCode === 0;
}

/** How a run reads in a sentence: "exits 1 (FAIL …)" or "was not run: <reason>". */
export function describeRun(run: TestRun): string {
  if (!run.ran) return `was not run: ${run.reason}`;
  return `exits ${run.exitCode ?? "without an exit code"} (${run.firstLine})`;
}

const runTest = (text: string): ScriptReply => ({
  text,
  toolCalls: [{ name: "shell", arguments: { command: TEST_COMMAND } }],
});
const answer = (text: string): ScriptReply => ({ text });

/** The executor's next step, from the tool results since the last user message (task or QA). */
function executorReply(request: ScriptedRequest): ScriptReply {
  const lastUser = request.conversation.findLastIndex((entry) => entry.role === "user");
  const recent = request.conversation
    .slice(lastUser + 1)
    .flatMap((entry) => (entry.role === "tool" ? [entry] : []));
  const runs = recent.filter(isTestRun);
  const lastRun = runs.at(-1);
  if (lastRun === undefined) {
    const again = request.conversation.filter((entry) => entry.role === "user").length > 1;
    return runTest(again ? "Running the test again." : "Let me run the test first.");
  }
  const last = recent.at(-1) ?? lastRun;
  const run = readTestRun(lastRun.output);
  const patched = recent.some((result) => result.name === "apply_patch" && !result.isError);

  if (last.name === "read_file") {
    if (last.output.startsWith('{"error"')) {
      return answer(`I could not read ${SOURCE}: ${errorMessage(last.output)}`);
    }
    const buggy = last.output
      .split("\n")
      .map((line) => line.replace(/^\s*\d+\t/, ""))
      .find((line) => line.includes("a - b"));
    if (buggy === undefined) {
      return answer(`${TEST} ${describeRun(run)}, and I see nothing in ${SOURCE} I can fix.`);
    }
    const fixed = buggy.replace("a - b", "a + b");
    return {
      text: "add() subtracts; fixing it.",
      toolCalls: [
        {
          name: "apply_patch",
          arguments: {
            input: `*** Begin Patch\n*** Update File: ${SOURCE}\n@@\n-${buggy}\n+${fixed}\n*** End Patch`,
          },
        },
      ],
    };
  }
  if (last.name === "apply_patch") {
    if (last.isError || last.output.startsWith('{"error"')) {
      return answer(`My patch to ${SOURCE} did not apply: ${errorMessage(last.output)}`);
    }
    return runTest("Rerunning the test.");
  }
  // The last step was the test run itself.
  if (!run.ran) return answer(`${TEST} ${describeRun(run)}. I cannot fix code I cannot test.`);
  if (passed(run)) {
    return answer(
      patched
        ? `Fixed \`add\` in ${SOURCE} (it subtracted); ${TEST} ${describeRun(run)}.`
        : `${TEST} ${describeRun(run)}; nothing to fix.`,
    );
  }
  if (patched)
    return answer(`I changed ${SOURCE}, but ${TEST} still fails: it ${describeRun(run)}.`);
  return {
    text: `The test fails: it ${describeRun(run)}. Reading the code.`,
    toolCalls: [{ name: "read_file", arguments: { path: SOURCE } }],
  };
}

function verdict(reply: "pass" | "block", reason: string): ScriptReply {
  return {
    toolCalls: [{ name: "report_verdict", arguments: { verdict: reply, tasks: [], reason } }],
  };
}

/**
 * The demo's model. It remembers the last test run it was shown (QA requests carry only the
 * prompt, the final message and the diff, so the QA verdict rests on what the executor's tools
 * returned, not on the executor's words).
 */
export function createDemoModel(): Responder {
  let lastRun: TestRun | undefined;
  return (request) => {
    if (request.toolNames.includes("report_verdict")) {
      if (lastRun === undefined) return verdict("block", `Nothing shows ${TEST} was run.`);
      if (!lastRun.ran) {
        return verdict("block", `${TEST} ${describeRun(lastRun)}; nothing shows the fix works.`);
      }
      if (!passed(lastRun))
        return verdict("block", `${TEST} still fails: it ${describeRun(lastRun)}.`);
      return verdict("pass", `The diff fixes add() and ${TEST} ${describeRun(lastRun)}.`);
    }
    const runs = request.toolResults.filter(isTestRun);
    const latest = runs.at(-1);
    if (latest !== undefined) lastRun = readTestRun(latest.output);
    return executorReply(request);
  };
}
