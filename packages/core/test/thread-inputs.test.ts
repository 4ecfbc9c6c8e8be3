import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../src/agent/events.js";
import type { PendingInput } from "../src/thread/input-store.js";
import { drain, threadRig, userTexts, waitForFile, type ThreadRig } from "./thread-harness.js";

let rig: ThreadRig | undefined;
afterEach(async () => {
  await rig?.cleanup();
  rig = undefined;
});

const isCommandStart = (event: AgentEvent): boolean =>
  event.type === "item.started" && event.item.type === "command_execution";

describe("Thread: input while a turn runs (scripted upstream)", () => {
  it("a steer sent during a tool call reaches the model in the request after that call, once", async () => {
    const current = (rig = await threadRig((request) =>
      request.toolResults.length === 0
        ? { toolCalls: [waitForFile("release")] }
        : { text: "Formatted." },
    ));
    let steer: PendingInput | undefined;
    const events = await drain(current.thread.run({ prompt: "format the code" }), (event) => {
      if (!isCommandStart(event)) return;
      // The command is running (it waits for the file): steer now, then let it finish.
      steer = current.thread.steer("use tabs, not spaces");
      writeFileSync(join(current.workspace.path, "release"), "");
    });

    expect(current.seen).toHaveLength(2);
    expect(userTexts(current.seen[0])).toEqual(["format the code"]);
    const after = current.seen[1]?.conversation ?? [];
    const result = after.findIndex((entry) => entry.role === "tool");
    expect(after[result]).toMatchObject({ role: "tool" });
    expect((after[result] as { output: string }).output).toContain("released");
    // Right after the tool's result, as a user message, and nowhere else.
    expect(after[result + 1]).toEqual({ role: "user", text: "use tabs, not spaces" });
    expect(userTexts(current.seen[1])).toEqual(["format the code", "use tabs, not spaces"]);
    expect(events).toContainEqual({
      type: "input.delivered",
      ids: [steer?.id],
      via: "tool_boundary",
    });
    expect(events.at(-1)).toMatchObject({ type: "turn.completed" });
    expect(current.thread.pending()).toEqual([]);
    // Delivered: it cannot be pulled back any more.
    expect(current.thread.pullBack(steer?.id ?? "")).toBeUndefined();
  });

  it("enqueued text waits for the turn to end and becomes the next turn", async () => {
    const current = (rig = await threadRig((request) => ({
      text: request.lastUserText === "second" ? "Second done." : "First done.",
    })));
    let queued: PendingInput | undefined;
    let pulled: PendingInput | undefined;
    const events = await drain(current.thread.run({ prompt: "first" }), (event) => {
      if (event.type !== "turn.started" || queued) return;
      queued = current.thread.enqueue("second");
      // Pulled back before the turn ended: it never reaches the model.
      pulled = current.thread.pullBack(current.thread.enqueue("never mind").id);
    });
    expect(pulled).toMatchObject({ text: "never mind", state: "restored" });

    expect(events.filter((event) => event.type === "turn.started")).toHaveLength(2);
    expect(events.filter((event) => event.type === "turn.completed")).toHaveLength(2);
    expect(current.seen.map((request) => userTexts(request))).toEqual([
      ["first"],
      ["first", "second"],
    ]);
    expect(events).toContainEqual({
      type: "input.delivered",
      ids: [queued?.id],
      via: "turn_start",
    });
    const answers = events.flatMap((event) =>
      event.type === "item.completed" && event.item.type === "agent_message"
        ? [event.item.text]
        : [],
    );
    expect(answers).toEqual(["First done.", "Second done."]);
  });

  it("interrupt with a steer and a queued text pending returns both, in order, and delivers neither", async () => {
    const current = (rig = await threadRig((request) =>
      request.lastUserText === "long task"
        ? { toolCalls: [waitForFile("never")] }
        : { text: "Fresh start." },
    ));
    let restored: PendingInput[] = [];
    let pending: PendingInput[] = [];
    const events = await drain(current.thread.run({ prompt: "long task" }), async (event) => {
      if (!isCommandStart(event)) return;
      pending = [current.thread.steer("also fix the docs"), current.thread.enqueue("then deploy")];
      restored = await current.thread.interrupt();
    });

    expect(restored.map(({ text, state }) => [text, state])).toEqual([
      ["also fix the docs", "restored"],
      ["then deploy", "restored"],
    ]);
    expect(restored.map(({ id }) => id)).toEqual(pending.map(({ id }) => id));
    expect(events).toContainEqual({
      type: "turn.interrupted",
      restored_ids: pending.map(({ id }) => id),
    });
    expect(events.at(-1)).toEqual({ type: "turn.failed", error: { message: "interrupted" } });
    expect(
      events.some((event) => event.type === "input.delivered" && event.via !== "turn_start"),
    ).toBe(false);
    expect(current.thread.pending()).toEqual([]);

    // The next turn gets neither: restored inputs are the caller's now.
    const next = await drain(current.thread.run({ prompt: "start over" }));
    expect(next.at(-1)).toMatchObject({ type: "turn.completed" });
    const everything = JSON.stringify(current.seen.map((request) => request.conversation));
    expect(everything).not.toContain("also fix the docs");
    expect(everything).not.toContain("then deploy");
  });

  it("a steer that misses its turn starts the next one", async () => {
    const current = (rig = await threadRig((request) => ({
      text: request.lastUserText === "late steer" ? "Handled the steer." : "Answered.",
      // The answer streams slowly enough to steer during it, after the last boundary.
      chunkIntervalMs: 20,
    })));
    let steer: PendingInput | undefined;
    const events = await drain(current.thread.run({ prompt: "quick question" }), (event) => {
      if (event.type === "item.delta" && !steer) steer = current.thread.steer("late steer");
    });

    expect(events).toContainEqual({ type: "input.deferred", ids: [steer?.id] });
    expect(events.filter((event) => event.type === "turn.completed")).toHaveLength(2);
    expect(current.seen.map((request) => userTexts(request).at(-1))).toEqual([
      "quick question",
      "late steer",
    ]);
  });

  it("one turn at a time: run while running is refused; right after the end it runs", async () => {
    const current = (rig = await threadRig((request) => ({ text: `re: ${request.lastUserText}` })));
    let refused: unknown;
    const iterator = current.thread.run({ prompt: "one" })[Symbol.asyncIterator]();
    try {
      current.thread.run({ prompt: "two" });
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: "thread_busy" });
    for (let next = await iterator.next(); !next.done; next = await iterator.next());
    const again = await drain(current.thread.run({ prompt: "three" }));
    expect(again.at(-1)).toMatchObject({ type: "turn.completed" });
    expect(current.seen.map((request) => request.lastUserText)).toEqual(["one", "three"]);
  });
});
