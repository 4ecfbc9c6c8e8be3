import { describe, expect, it } from "vitest";
import { sessionHarness } from "../test-utils/session-harness.js";

const states = (harness: ReturnType<typeof sessionHarness>) =>
  harness.thread.store
    .recent(50)
    .reverse()
    .map(({ text, state }) => `${text}:${state}`);

describe("effect runner on a thread", () => {
  it("Enter starts a turn; the input is stored, delivered once, and the composer clears", async () => {
    const harness = sessionHarness();
    harness.keys("fix the test\r");
    expect(harness.thread.runs).toBe(1);
    expect(harness.composer()).toBe("");
    harness.thread.startTurn();
    await harness.settle();
    expect(harness.store.getState().phase).toBe("running");
    expect(harness.thread.delivered).toEqual(["fix the test"]);
    harness.thread.endTurn();
    harness.thread.finish();
    await harness.settle();
    expect(harness.store.getState().phase).toBe("idle");
  });

  it("a steer mid-tool reaches the model at the boundary, once; a queued input starts the next turn", async () => {
    const harness = sessionHarness();
    harness.keys("first\r");
    harness.thread.startTurn();
    await harness.settle();
    harness.keys("also this\r");
    harness.keys("then that\t");
    expect(harness.store.getState().pending.map(({ text, state }) => `${text}:${state}`)).toEqual([
      "also this:pending_steer",
      "then that:queued",
    ]);
    harness.thread.boundary();
    harness.thread.boundary();
    harness.thread.endTurn();
    harness.thread.startTurn();
    await harness.settle();
    expect(harness.thread.delivered).toEqual(["first", "also this", "then that"]);
    expect(harness.store.getState().pending).toEqual([]);
  });

  it("Esc brings every undelivered input back in order, none delivered, and the run's end is not a second report", async () => {
    const harness = sessionHarness();
    harness.keys("go\r");
    harness.thread.startTurn();
    await harness.settle();
    for (const [text, key] of [
      ["s1", "\r"],
      ["q1", "\t"],
      ["s2", "\r"],
      ["q2", "\t"],
    ] as const)
      harness.keys(text + key);
    harness.keys("draft");
    harness.keys("\x1b");
    harness.keys("\x1b");
    await harness.settle();
    expect(harness.composer()).toBe("s1\n\nq1\n\ns2\n\nq2\n\ndraft");
    expect(harness.thread.delivered).toEqual(["go"]);
    expect(states(harness)).toEqual([
      "go:delivered",
      "s1:restored",
      "q1:restored",
      "s2:restored",
      "q2:restored",
    ]);
    expect(harness.events.filter(({ type }) => type === "interruptSettled")).toHaveLength(1);
    expect(harness.store.getState().phase).toBe("idle");
    // Sending the restored text supersedes the rows it carries (they never come back on resume).
    harness.keys("\r");
    const left = harness.thread.store
      .recent(50)
      .filter(({ state, supersededBy }) => state === "restored" && supersededBy === undefined);
    expect(left).toEqual([]);
  });

  it("Enter then Esc in one read: the message comes back unless the turn took it", async () => {
    const harness = sessionHarness();
    harness.keys("hello\r\x1b");
    await harness.settle();
    expect(harness.composer()).toBe("hello");
    expect(harness.thread.delivered).toEqual([]);

    const claimed = sessionHarness();
    claimed.keys("hello\r");
    claimed.thread.startTurn();
    claimed.keys("\x1b");
    await claimed.settle();
    expect(claimed.composer()).toBe("");
    expect(claimed.thread.delivered).toEqual(["hello"]);
    claimed.keys("\x1b[A");
    expect(claimed.composer()).toBe("hello");
  });

  it("input typed while an interrupt settles runs as the next turn, delivered once", async () => {
    const harness = sessionHarness();
    harness.keys("long job\r");
    harness.thread.startTurn();
    await harness.settle();
    harness.keys("\x1b");
    harness.keys("next\r");
    expect(harness.composer()).toBe("");
    await harness.settle();
    expect(harness.thread.runs).toBe(2);
    harness.thread.startTurn();
    await harness.settle();
    expect(harness.thread.delivered).toEqual(["long job", "next"]);
    harness.keys("more\r");
    expect(harness.store.getState().pending.map(({ state }) => state)).toEqual(["pending_steer"]);
  });

  it("a run that ends with an input still waiting is followed by a run for it", async () => {
    const harness = sessionHarness();
    harness.keys("one\r");
    harness.thread.startTurn();
    harness.thread.endTurn();
    await harness.settle();
    harness.keys("late steer\r");
    harness.thread.finish();
    await harness.settle();
    expect(harness.thread.runs).toBe(2);
    harness.thread.startTurn();
    await harness.settle();
    expect(harness.thread.delivered).toEqual(["one", "late steer"]);
  });

  it("a run refused before delivery gives the text back, with the reason", async () => {
    const harness = sessionHarness();
    harness.keys("do it\r");
    harness.thread.finish(new Error("route denied by policy"));
    await harness.settle();
    expect(harness.composer()).toBe("do it");
    expect(harness.store.getState().notice?.text).toBe("route denied by policy");
    expect(harness.store.getState().phase).toBe("idle");
  });

  it("Alt+Up takes back the last waiting input; a delivered one stays delivered", async () => {
    const harness = sessionHarness();
    harness.keys("go\r");
    harness.thread.startTurn();
    await harness.settle();
    harness.keys("edit me\t");
    harness.keys("\x1b[1;3A");
    expect(harness.composer()).toBe("edit me");
    harness.keys("\x15steer\r");
    harness.thread.boundary();
    expect(harness.thread.pullBack(harness.thread.store.recent(1)[0]!.id)).toBeUndefined();
    expect(harness.thread.delivered).toEqual(["go", "steer"]);
  });

  it("saves the draft once the typing pauses, and at once on quit", () => {
    const harness = sessionHarness();
    harness.keys("dra");
    harness.keys("ft");
    expect(harness.thread.drafts).toEqual([]);
    harness.clock.advance(500);
    expect(harness.thread.drafts).toHaveLength(1);
    expect(harness.thread.drafts[0]?.composer).toContain('"text":"draft"');
    harness.keys("!");
    harness.runner.flushDraft();
    expect(harness.thread.drafts.at(-1)?.composer).toContain('"text":"draft!"');
    // Ctrl+C clears (the draft with it), the second one quits.
    harness.keys("\x03\x03");
    expect(harness.quits).toBe(1);
    expect(harness.thread.drafts.at(-1)).toBeUndefined();
  });

  it("/ask streams the side answer as thread events while the turn's inputs stay put", async () => {
    const harness = sessionHarness();
    harness.keys("/ask why is it slow?\r");
    await harness.settle();
    const aside = harness.events.flatMap((event) =>
      event.type === "thread" && event.event.type === "item.completed" ? [event.event.item] : [],
    );
    expect(aside).toEqual([
      expect.objectContaining({ type: "aside", text: "answer to why is it slow?" }),
    ]);
    expect(harness.thread.runs).toBe(0);
  });
});
