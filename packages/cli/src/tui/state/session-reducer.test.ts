import { describe, expect, it } from "vitest";
import { bufferFromText, toJson, toModelText } from "./composer-buffer.js";
import type { Intent } from "./keymap.js";
import { reduce } from "./session-reducer.js";
import {
  initialSessionState,
  type Effect,
  type PendingView,
  type SessionEvent,
  type SessionState,
} from "./session-state.js";

/** Runs events through the reducer, collecting every effect. */
function drive(
  state: SessionState,
  ...events: SessionEvent[]
): { state: SessionState; effects: Effect[] } {
  const effects: Effect[] = [];
  let current = state;
  for (const event of events) {
    const next = reduce(current, event);
    current = next.state;
    effects.push(...next.effects);
  }
  return { state: current, effects };
}

const at = (intent: Intent, now = 0): SessionEvent => ({ type: "intent", intent, now });
const type = (text: string): SessionEvent[] =>
  [...text].map((char) => at({ type: "insert", text: char }));
const press = (
  name: "submit" | "queue" | "interrupt" | "pullBack" | "ctrlC" | "up" | "down",
  now = 0,
) => at({ type: name }, now);

let seq = 0;
function row(text: string, kind: PendingView["kind"], state: PendingView["state"]): PendingView {
  seq += 1;
  return {
    id: `in_${seq}`,
    kind,
    state,
    text,
    composer: toJson(bufferFromText(text)),
    seq,
    deferred: false,
  };
}

const persists = (effects: readonly Effect[]) =>
  effects.filter(
    (effect): effect is Extract<Effect, { type: "persist" }> => effect.type === "persist",
  );
const composerText = (state: SessionState): string => toModelText(state.composer);

/** A session whose run is in its turn (the runtime reported the start). */
function running(): SessionState {
  return drive(
    initialSessionState(),
    { type: "runStarted" },
    { type: "thread", event: { type: "turn.started" } },
  ).state;
}

/** Types `text`, presses Enter/Tab, and lets the runtime store it as `stored`. */
function submitStored(
  state: SessionState,
  text: string,
  how: "submit" | "queue",
  stored: PendingView,
): { state: SessionState; effects: Effect[] } {
  return drive(state, ...type(text), press(how), { type: "inputPersisted", input: stored });
}

describe("session reducer: submitting", () => {
  it("idle Enter asks to store a turn and keeps the text until the runtime stored it", () => {
    const typed = drive(initialSessionState(), ...type("fix it"), press("submit"));
    expect(persists(typed.effects)).toEqual([
      expect.objectContaining({ kind: "turn", text: "fix it", shell: false, supersedes: [] }),
    ]);
    expect(composerText(typed.state)).toBe("fix it");
    // A second Enter while the write is in flight sends nothing twice.
    expect(persists(drive(typed.state, press("submit")).effects)).toEqual([]);
    const stored = drive(typed.state, {
      type: "inputPersisted",
      input: row("fix it", "turn", "queued"),
    });
    expect(composerText(stored.state)).toBe("");
    expect(stored.state.pending.map(({ text }) => text)).toEqual(["fix it"]);
  });

  it("a failed write keeps the text and says why", () => {
    const failed = drive(initialSessionState(), ...type("keep me"), press("submit"), {
      type: "inputPersistFailed",
      message: "inputs.db is read-only",
    });
    expect(composerText(failed.state)).toBe("keep me");
    expect(failed.state.notice).toEqual({ text: "inputs.db is read-only", tone: "error" });
    expect(persists(drive(failed.state, press("submit")).effects)).toHaveLength(1);
  });

  it("while a turn runs Enter steers and Tab queues", () => {
    const steer = drive(running(), ...type("also the docs"), press("submit"));
    expect(persists(steer.effects)[0]?.kind).toBe("steer");
    const queue = drive(running(), ...type("then commit"), press("queue"));
    expect(persists(queue.effects)[0]?.kind).toBe("queue");
  });

  it("Tab starts a turn when nothing runs (the input is not left waiting)", () => {
    const queued = drive(initialSessionState(), ...type("go"), press("queue"));
    expect(persists(queued.effects)[0]?.kind).toBe("turn");
  });

  it("!cmd runs a shell command between turns and is refused (text kept) during one", () => {
    const idle = drive(initialSessionState(), ...type("!ls -la"), press("submit"));
    expect(persists(idle.effects)[0]).toMatchObject({ kind: "turn", text: "ls -la", shell: true });
    const busy = drive(running(), ...type("!ls"), press("submit"));
    expect(persists(busy.effects)).toEqual([]);
    expect(composerText(busy.state)).toBe("!ls");
    expect(busy.state.notice?.text).toMatch(/between turns/);
  });
});

describe("session reducer: the six reported bugs", () => {
  it("openai/codex #34599: inputs sent while the agent works are stored once each, in order, none dropped", () => {
    let state = running();
    const sent: string[] = [];
    const rows: PendingView[] = [];
    for (const [index, text] of ["one", "two", "three", "four", "five"].entries()) {
      const stored = row(
        text,
        index === 4 ? "queue" : "steer",
        index === 4 ? "queued" : "pending_steer",
      );
      rows.push(stored);
      const step = submitStored(state, text, index === 4 ? "queue" : "submit", stored);
      sent.push(...persists(step.effects).map((effect) => effect.text));
      state = step.state;
      expect(composerText(state)).toBe("");
      // Deliveries at tool boundaries between the submissions.
      if (index === 1)
        state = drive(state, {
          type: "thread",
          event: { type: "input.delivered", ids: [rows[0]!.id, rows[1]!.id], via: "tool_boundary" },
        }).state;
    }
    expect(sent).toEqual(["one", "two", "three", "four", "five"]);
    // The turn ended before "three" and "four" reached a boundary: they are deferred, not lost.
    state = drive(state, {
      type: "thread",
      event: { type: "input.deferred", ids: [rows[2]!.id, rows[3]!.id] },
    }).state;
    expect(state.pending.map(({ text, deferred }) => [text, deferred])).toEqual([
      ["three", true],
      ["four", true],
      ["five", false],
    ]);
  });

  it("openai/codex #17095: Esc during a turn interrupts, and the steer comes back to be sent", () => {
    const steer = row("use the other API", "steer", "pending_steer");
    let step = submitStored(running(), "use the other API", "submit", steer);
    step = drive(step.state, press("interrupt"));
    expect(step.effects).toEqual([{ type: "interrupt" }]);
    expect(step.state.phase).toBe("interrupting");
    step = drive(
      step.state,
      { type: "runEnded" },
      { type: "interruptSettled", restored: [{ ...steer, state: "restored" }] },
    );
    expect(step.state.phase).toBe("idle");
    expect(composerText(step.state)).toBe("use the other API");
    const resent = drive(step.state, press("submit"));
    expect(persists(resent.effects)).toEqual([
      expect.objectContaining({ kind: "turn", text: "use the other API", supersedes: [steer.id] }),
    ]);
  });

  it("anthropics/claude-code #16905: Esc never moves waiting inputs without an interrupt", () => {
    const queued = row("later", "queue", "queued");
    const steer = row("now", "steer", "pending_steer");
    let state = submitStored(running(), "later", "queue", queued).state;
    state = submitStored(state, "now", "submit", steer).state;
    const escaped = drive(state, press("interrupt"));
    expect(escaped.effects).toEqual([{ type: "interrupt" }]);
    // Until the runtime confirms the interrupt, nothing moved.
    expect(composerText(escaped.state)).toBe("");
    expect(escaped.state.pending).toHaveLength(2);
    // A popup takes the first Esc (visibly), the interrupt still needs its own.
    const popup = drive(state, ...type("/st"), press("interrupt"));
    expect(popup.effects.filter((effect) => effect.type === "interrupt")).toEqual([]);
    expect(popup.state.overlay.type).toBe("none");
    expect(drive(popup.state, press("interrupt")).effects).toContainEqual({ type: "interrupt" });
  });

  it("anthropics/claude-code #93659: one Esc brings back every waiting input, in order, ahead of the draft", () => {
    const rows = [
      row("steer one", "steer", "pending_steer"),
      row("queued one", "queue", "queued"),
      row("steer two", "steer", "pending_steer"),
      row("queued two", "queue", "queued"),
    ];
    let state = running();
    for (const input of rows)
      state = submitStored(
        state,
        input.text,
        input.kind === "steer" ? "submit" : "queue",
        input,
      ).state;
    state = drive(state, ...type("draft")).state;
    const first = drive(state, press("interrupt"));
    const second = drive(first.state, press("interrupt"));
    expect(second.effects).toEqual([]);
    const settled = drive(second.state, {
      type: "interruptSettled",
      restored: [...rows].reverse().map((input) => ({ ...input, state: "restored" as const })),
    });
    expect(composerText(settled.state)).toBe(
      "steer one\n\nqueued one\n\nsteer two\n\nqueued two\n\ndraft",
    );
    expect(settled.state.restoredIds).toEqual(rows.map(({ id }) => id));
    expect(settled.state.pending).toEqual([]);
  });

  it("anthropics/claude-code #65360: Esc right after Enter gets the message back (or it was sent and is in history)", () => {
    const hello = row("hello", "turn", "queued");
    const sent = drive(
      initialSessionState(),
      ...type("hello"),
      press("submit"),
      { type: "inputPersisted", input: hello },
      { type: "runStarted" },
      press("interrupt"),
    );
    expect(sent.effects.map(({ type: effectType }) => effectType)).toContain("interrupt");
    const unclaimed = drive(sent.state, {
      type: "interruptSettled",
      restored: [{ ...hello, state: "restored" }],
    });
    expect(composerText(unclaimed.state)).toBe("hello");
    // Claimed before the interrupt: not restored, but Up brings it back from history.
    const claimed = drive(sent.state, { type: "interruptSettled", restored: [] }, press("up"));
    expect(composerText(claimed.state)).toBe("hello");
  });

  it("anthropics/claude-code #30118: input typed while an interrupt settles becomes the next turn", () => {
    let step = drive(running(), press("interrupt"));
    step = drive(step.state, ...type("next"), press("submit"));
    expect(persists(step.effects)).toEqual([
      expect.objectContaining({ kind: "turn", text: "next" }),
    ]);
    const next = row("next", "queue", "queued");
    step = drive(
      step.state,
      { type: "inputPersisted", input: next },
      { type: "runEnded" },
      { type: "interruptSettled", restored: [] },
    );
    expect(composerText(step.state)).toBe("");
    expect(step.state.pending.map(({ text }) => text)).toEqual(["next"]);
    step = drive(
      step.state,
      { type: "runStarted" },
      { type: "thread", event: { type: "turn.started" } },
    );
    step = drive(step.state, {
      type: "thread",
      event: { type: "input.delivered", ids: [next.id], via: "turn_start" },
    });
    expect(step.state.pending).toEqual([]);
    expect(persists(drive(step.state, ...type("more"), press("submit")).effects)[0]?.kind).toBe(
      "steer",
    );
  });
});

describe("session reducer: pulling back, Ctrl+C, resume", () => {
  it("Alt+Up asks for the last waiting input and puts it ahead of the draft", () => {
    const first = row("first", "queue", "queued");
    const second = row("second", "queue", "queued");
    let state = submitStored(running(), "first", "queue", first).state;
    state = submitStored(state, "second", "queue", second).state;
    state = drive(state, ...type("draft")).state;
    const asked = drive(state, press("pullBack"));
    expect(asked.effects).toEqual([{ type: "pullBack", id: second.id }]);
    const back = drive(asked.state, {
      type: "pulledBack",
      id: second.id,
      input: { ...second, state: "restored" },
    });
    expect(composerText(back.state)).toBe("second\n\ndraft");
    expect(back.state.pending.map(({ text }) => text)).toEqual(["first"]);
    const late = drive(asked.state, { type: "pulledBack", id: second.id, input: undefined });
    expect(composerText(late.state)).toBe("draft");
    expect(late.state.notice?.text).toMatch(/already sent/);
  });

  it("Ctrl+C clears a draft into history (restored inputs in it are dealt with), twice quits", () => {
    const restored = row("old", "queue", "restored");
    let step = drive(initialSessionState(), {
      type: "resumed",
      restored: [restored],
      draft: undefined,
    });
    expect(composerText(step.state)).toBe("old");
    step = drive(step.state, press("ctrlC", 1000));
    expect(composerText(step.state)).toBe("");
    expect(step.effects).toContainEqual({ type: "supersede", ids: [restored.id] });
    expect(composerText(drive(step.state, press("up", 1100)).state)).toBe("old");
    const quit = drive(step.state, press("ctrlC", 1500));
    expect(quit.effects.map(({ type: effectType }) => effectType)).toEqual(["saveDraft", "quit"]);
    // Too late for the second press to count.
    const late = drive(step.state, press("ctrlC", 5000));
    expect(late.effects.some(({ type: effectType }) => effectType === "quit")).toBe(false);
  });

  it("Ctrl+C during a turn interrupts first", () => {
    const step = drive(running(), press("ctrlC", 10));
    expect(step.effects).toEqual([{ type: "interrupt" }]);
    expect(step.state.phase).toBe("interrupting");
  });

  it("resume puts undelivered inputs in the composer ahead of the saved draft", () => {
    const a = row("alpha", "steer", "restored");
    const b = row("beta", "queue", "restored");
    const step = drive(initialSessionState(), {
      type: "resumed",
      restored: [b, a],
      draft: { composer: toJson(bufferFromText("gamma")), restoredIds: [] },
    });
    expect(composerText(step.state)).toBe("alpha\n\nbeta\n\ngamma");
    expect(step.state.restoredIds).toEqual([a.id, b.id]);
    expect(step.state.notice?.text).toMatch(/2 inputs were not delivered/);
    expect(persists(drive(step.state, press("submit")).effects)[0]?.supersedes).toEqual([
      a.id,
      b.id,
    ]);
  });
});

describe("session reducer: approvals", () => {
  const request = {
    kind: "exec" as const,
    command: ["rm", "-rf", "build"],
    cwd: "/repo",
    reason: "outside the sandbox",
    sandboxed: false,
  };
  const asked = (): SessionState =>
    drive(running(), {
      type: "thread",
      event: { type: "approval.requested", request_id: "ap_1", request },
    }).state;

  it("y, a, n answer; d asks for a note and sends it", () => {
    for (const [char, answer] of [
      ["y", "approve_once"],
      ["a", "approve_session"],
      ["n", "deny"],
    ] as const) {
      const step = drive(asked(), at({ type: "answer", choice: answer }));
      expect(step.effects).toEqual([
        { type: "answerApproval", requestId: "ap_1", answer: { type: answer } },
      ]);
      expect(step.state.approvals, char).toEqual([]);
    }
    const noted = drive(
      asked(),
      at({ type: "answer", choice: "deny_with_note" }),
      ...type("use rimraf"),
      press("submit"),
    );
    expect(noted.effects).toEqual([
      {
        type: "answerApproval",
        requestId: "ap_1",
        answer: { type: "deny_with_note", note: "use rimraf" },
      },
    ]);
  });

  it("Shift+Tab moves to the composer, where Enter steers while the approval waits", () => {
    const step = drive(
      asked(),
      at({ type: "toggleApprovalFocus" }),
      ...type("skip the build dir"),
      press("submit"),
    );
    expect(persists(step.effects)[0]).toMatchObject({ kind: "steer", text: "skip the build dir" });
    expect(step.state.approvals).toHaveLength(1);
  });

  it("Esc on the prompt interrupts (the runtime denies the request)", () => {
    const step = drive(asked(), press("interrupt"));
    expect(step.effects).toEqual([{ type: "interrupt" }]);
    const resolved = drive(step.state, {
      type: "thread",
      event: {
        type: "approval.resolved",
        request_id: "ap_1",
        answer: { type: "deny" },
        by: "interrupt",
      },
    });
    expect(resolved.state.approvals).toEqual([]);
  });
});

describe("session reducer: slash commands and popups", () => {
  it("runs a known command, refuses one that needs an idle thread, suggests for a typo", () => {
    const ran = drive(
      initialSessionState(),
      ...type("/status"),
      press("interrupt"),
      press("submit"),
    );
    expect(ran.effects).toContainEqual({ type: "slash", name: "status", args: "" });
    expect(composerText(ran.state)).toBe("");
    const busy = drive(running(), ...type("/init"), press("interrupt"), press("submit"));
    expect(busy.effects.filter(({ type: effectType }) => effectType === "slash")).toEqual([]);
    expect(composerText(busy.state)).toBe("/init");
    expect(busy.state.notice?.text).toMatch(/not available while a turn runs/);
    const typo = drive(initialSessionState(), ...type("/stauts"), press("submit"));
    expect(typo.state.notice?.text).toBe("Unknown command /stauts. Did you mean /status?");
    expect(composerText(typo.state)).toBe("/stauts");
  });

  it("the popup follows the typed name; Enter on a row runs it, Tab completes it", () => {
    const popup = drive(initialSessionState(), ...type("/sta"));
    expect(popup.state.overlay).toEqual({ type: "slash", query: "sta", selected: 0 });
    expect(drive(popup.state, press("submit")).effects).toContainEqual({
      type: "slash",
      name: "status",
      args: "",
    });
    const ask = drive(initialSessionState(), ...type("/as"), press("queue"));
    expect(composerText(ask.state)).toBe("/ask ");
    const asked = drive(ask.state, ...type("why?"), press("submit"));
    expect(asked.effects).toContainEqual({ type: "slash", name: "ask", args: "why?" });
  });

  it("/quit quits; @ searches files and Enter inserts the mention", () => {
    expect(
      drive(initialSessionState(), ...type("/quit"), press("interrupt"), press("submit")).state
        .exiting,
    ).toBe(true);
    const typed = drive(initialSessionState(), ...type("look at @src/m"));
    expect(typed.effects).toContainEqual({ type: "searchFiles", query: "src/m" });
    const picked = drive(
      typed.state,
      { type: "mentionResults", query: "src/m", paths: ["src/main.ts", "src/model.ts"] },
      press("down"),
      press("submit"),
    );
    expect(composerText(picked.state)).toBe("look at @src/model.ts ");
    expect(persists(picked.effects)).toEqual([]);
  });
});

describe("session reducer: the pager", () => {
  it("Ctrl+O opens it, scrolling stays within the text, q or Ctrl+C closes it", () => {
    let step = drive(
      initialSessionState(),
      at({ type: "openPager" }),
      { type: "pagerLayout", max: 30, page: 10 },
      at({ type: "scroll", by: "pageDown" }),
      at({ type: "scroll", by: 1 }),
    );
    expect(step.state.pager?.offset).toBe(11);
    step = drive(step.state, at({ type: "scroll", by: "bottom" }), at({ type: "scroll", by: 5 }));
    expect(step.state.pager?.offset).toBe(30);
    step = drive(step.state, at({ type: "scroll", by: "top" }), at({ type: "scroll", by: -3 }));
    expect(step.state.pager?.offset).toBe(0);
    expect(drive(step.state, at({ type: "closePager" })).state.pager).toBeNull();
    const closed = drive(step.state, press("ctrlC", 1));
    expect(closed.state.pager).toBeNull();
    expect(closed.effects).toEqual([]);
  });
});
