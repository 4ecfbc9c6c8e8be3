import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../src/agent/events.js";
import type { ScriptToolCall } from "@hedge/testkit";
import type { AsideItem } from "../src/agent/items.js";
import {
  ROUTE_HEADERS,
  drain,
  sessionRecords,
  threadRig,
  userTexts,
  waitForFile,
  type ThreadRig,
} from "./thread-harness.js";

let rig: ThreadRig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

/** A shell call that asks to leave the sandbox (so `on-request` needs approval) to write a file. */
const escalated: ScriptToolCall = {
  name: "shell",
  arguments: {
    command: ["bash", "-lc", "echo ran > approved.txt"],
    with_escalated_permissions: true,
    justification: "writes the release notes",
  },
};

function toolOutput(events: AgentEvent[]): string | undefined {
  for (const event of events) {
    if (event.type === "item.completed" && event.item.type === "command_execution")
      return event.item.aggregated_output;
  }
  return undefined;
}

describe("Thread: approvals are events", () => {
  it("under on-request a command needing approval waits for answerApproval, then runs", async () => {
    const current = (rig = await threadRig(
      (request) =>
        request.toolResults.length === 0 ? { toolCalls: [escalated] } : { text: "Written." },
      { config: { approval_policy: "on-request" } },
    ));
    const file = join(current.workspace.path, "approved.txt");
    let ranBeforeAnswer: boolean | undefined;
    const events = await drain(current.thread.run({ prompt: "write the notes" }), (event) => {
      if (event.type !== "approval.requested") return;
      expect(event.request).toMatchObject({
        kind: "exec",
        command: ["bash", "-lc", "echo ran > approved.txt"],
        justification: "writes the release notes",
        sandboxed: false,
      });
      // The tool waits for the answer: nothing ran yet, and the model was not asked again.
      ranBeforeAnswer = existsSync(file) || current.seen.length > 1;
      expect(current.thread.answerApproval(event.request_id, { type: "approve_once" })).toBe(true);
    });

    expect(ranBeforeAnswer).toBe(false);
    expect(existsSync(file)).toBe(true);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "approval.resolved",
        answer: { type: "approve_once" },
        by: "user",
      }),
    );
    expect(events.at(-1)).toMatchObject({ type: "turn.completed" });
  });

  it("deny_with_note: nothing runs and the model reads the note", async () => {
    const current = (rig = await threadRig(
      (request) =>
        request.toolResults.length === 0 ? { toolCalls: [escalated] } : { text: "Understood." },
      { config: { approval_policy: "on-request" } },
    ));
    const events = await drain(current.thread.run({ prompt: "write the notes" }), (event) => {
      if (event.type === "approval.requested")
        current.thread.answerApproval(event.request_id, {
          type: "deny_with_note",
          note: "use make notes instead",
        });
    });

    expect(existsSync(join(current.workspace.path, "approved.txt"))).toBe(false);
    expect(toolOutput(events)).toContain("use make notes instead");
    const result = current.seen[1]?.toolResults[0];
    expect(result?.output).toContain("did not approve");
    expect(result?.output).toContain("use make notes instead");
    // An answered request cannot be answered again.
    const requested = events.find((event) => event.type === "approval.requested");
    expect(
      requested?.type === "approval.requested" &&
        current.thread.answerApproval(requested.request_id, { type: "approve_once" }),
    ).toBe(false);
  });

  it("approve_session: the same command runs again without asking", async () => {
    const current = (rig = await threadRig(
      (request) =>
        request.toolResults.length < 2 ? { toolCalls: [escalated] } : { text: "Twice." },
      { config: { approval_policy: "on-request" } },
    ));
    let answered = 0;
    const events = await drain(current.thread.run({ prompt: "write the notes twice" }), (event) => {
      if (event.type !== "approval.requested") return;
      if (current.thread.answerApproval(event.request_id, { type: "approve_session" }))
        answered += 1;
    });

    expect(answered).toBe(1);
    expect(
      events.flatMap((event) => (event.type === "approval.resolved" ? [event.by] : [])),
    ).toEqual(["user", "session"]);
    const commands = events.filter(
      (event) => event.type === "item.completed" && event.item.type === "command_execution",
    );
    expect(commands).toHaveLength(2);
    expect(commands.every((event) => JSON.stringify(event).includes('"exit_code":0'))).toBe(true);
  });
});

describe("Thread: ask, a side question on a fork", () => {
  it("answers on the conversation's route and profile, records an aside, and leaves the history as it was", async () => {
    const current = (rig = await threadRig((request) => {
      const last = request.lastUserText;
      if (last.includes("which file did you read?"))
        return { text: "README.md", headers: ROUTE_HEADERS };
      return { text: last === "and now?" ? "Still fine." : "Read it.", headers: ROUTE_HEADERS };
    }));
    await drain(current.thread.run({ prompt: "read the readme" }));

    const asked = await drain(current.thread.ask("which file did you read?"));
    const aside = asked.at(-1);
    expect(aside).toMatchObject({
      type: "item.completed",
      item: {
        type: "aside",
        question: "which file did you read?",
        text: "README.md",
        status: "completed",
        model: "lab/coder",
        provider: "lab",
        profile: "work",
      },
    });
    // The fork: the whole conversation, then the question, sticky to the route that holds it.
    const fork = current.sent[1];
    expect(fork?.model).toBe("lab/coder");
    expect(fork?.metadata).toMatchObject({
      role: "executor",
      session_id: current.thread.id,
      profiles: ["work"],
    });
    expect(userTexts(current.seen[1])[0]).toBe("read the readme");
    expect(userTexts(current.seen[1]).at(-1)).toContain("which file did you read?");

    // The main history is unchanged: the next turn sees neither the question nor its answer.
    await drain(current.thread.run({ prompt: "and now?" }));
    const next = JSON.stringify(current.seen[2]?.conversation);
    expect(next).toContain("read the readme");
    expect(next).not.toContain("which file did you read?");
    expect(next).not.toContain("README.md");
    const recorded = sessionRecords(current.home.path).filter((record) => record.type === "aside");
    expect(recorded).toEqual([
      expect.objectContaining({
        question: "which file did you read?",
        answer: "README.md",
        profile: "work",
      }),
    ]);
  });

  it("works while a turn runs, and the turn goes on unchanged", async () => {
    const current = (rig = await threadRig((request) => {
      if (request.lastUserText.includes("what are you running?")) return { text: "A long check." };
      return request.toolResults.length === 0
        ? { toolCalls: [waitForFile("release")] }
        : { text: "Checked." };
    }));
    let aside: AsideItem | undefined;
    let completedBeforeTurn = false;
    const events = await drain(current.thread.run({ prompt: "run the check" }), async (event) => {
      if (event.type === "turn.completed") completedBeforeTurn = aside !== undefined;
      if (event.type !== "item.started" || event.item.type !== "command_execution") return;
      for (const asked of await drain(current.thread.ask("what are you running?")))
        if (asked.type === "item.completed" && asked.item.type === "aside") aside = asked.item;
      writeFileSync(join(current.workspace.path, "release"), "");
    });

    expect(aside).toMatchObject({ text: "A long check.", status: "completed" });
    expect(completedBeforeTurn).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "turn.completed" });
    // The turn's own next request has the tool's result, not the side question.
    const turnRequests = current.seen.filter(
      (request) => !request.lastUserText.includes("what are you running?"),
    );
    expect(turnRequests).toHaveLength(2);
    expect(JSON.stringify(turnRequests[1]?.conversation)).not.toContain("what are you running?");
    // The fork closed the running call with a placeholder result instead of sending it open.
    const fork = current.seen.find((request) =>
      request.lastUserText.includes("what are you running?"),
    );
    expect(fork?.toolResults).toHaveLength(1);
  });
});

describe("Thread: state for a status line", () => {
  it("reports tokens, context used and the route of each role", async () => {
    const current = (rig = await threadRig(
      () => ({
        text: "Done.",
        headers: ROUTE_HEADERS,
        usage: { inputTokens: 3000, cachedTokens: 1000, outputTokens: 200 },
      }),
      { config: { model_context_window: 16_000 } },
    ));
    expect(current.thread.state()).toMatchObject({ running: false, contextUsedPct: null });
    let runningSeen = false;
    await drain(current.thread.run({ prompt: "hello" }), () => {
      runningSeen ||= current.thread.state().running;
    });

    const state = current.thread.state();
    expect(runningSeen).toBe(true);
    expect(state).toMatchObject({
      sessionId: current.thread.id,
      running: false,
      usage: { input_tokens: 3000, cached_input_tokens: 1000, output_tokens: 200 },
      costUsd: null,
      contextWindow: 16_000,
      contextUsedPct: 20,
      contextRole: "executor",
      pending: [],
    });
    expect(state.roles.executor).toMatchObject({
      model: "lab/coder",
      route: { provider: "lab", upstream_model: "coder", profile: "work" },
    });
    expect(state.roles.qa.route).toBeUndefined();
  });
});
