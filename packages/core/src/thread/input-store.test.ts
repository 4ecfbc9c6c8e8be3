import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { InputStore } from "./input-store.js";
import { MemoryInputStore } from "./memory-input-store.js";
import { SqliteInputStore } from "./sqlite-input-store.js";

const session = "s1";
const delivery = { turn: "turn_1", via: "tool_boundary" as const };

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

/** Each implementation of the contract: in memory, and a real SQLite file in a temp dir. */
const stores: [string, () => Promise<InputStore>][] = [
  ["MemoryInputStore", () => Promise.resolve(new MemoryInputStore())],
  [
    "SqliteInputStore",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "hedge-inputs-"));
      const store = await SqliteInputStore.open(join(dir, "inputs.db"));
      cleanups.push(() => {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      });
      return store;
    },
  ],
];

describe.each(stores)("%s: an input moves once", (_name, make) => {
  it("keeps submission order and the state each kind starts in", async () => {
    const store = await make();
    const turn = store.add(session, { kind: "turn", text: "a" });
    const steer = store.add(session, { kind: "steer", text: "b", composer: '{"v":1}' });
    const queued = store.add(session, { kind: "queue", text: "c" });
    expect([turn.state, steer.state, queued.state]).toEqual(["queued", "pending_steer", "queued"]);
    expect(steer.composer).toBe('{"v":1}');
    expect(store.open(session).map(({ text }) => text)).toEqual(["a", "b", "c"]);
    expect(store.open("other")).toEqual([]);
  });

  it("a delivered input is never claimed, deferred or restored again", async () => {
    const store = await make();
    const steer = store.add(session, { kind: "steer", text: "b" });
    expect(store.claim(session, ["pending_steer"], delivery).map(({ id }) => id)).toEqual([
      steer.id,
    ]);
    expect(store.claim(session, ["pending_steer", "queued"], delivery)).toEqual([]);
    expect(store.defer(session)).toEqual([]);
    expect(store.restore(session, [steer.id])).toEqual([]);
    expect(store.open(session)).toEqual([]);
  });

  it("a deferred steer waits as queued; restore hands back every open input in order", async () => {
    const store = await make();
    store.add(session, { kind: "queue", text: "first" });
    store.add(session, { kind: "steer", text: "second" });
    expect(store.defer(session)).toMatchObject([
      { text: "second", state: "queued", deferred: true },
    ]);
    const restored = store.restore(session);
    expect(restored.map(({ text, state }) => [text, state])).toEqual([
      ["first", "restored"],
      ["second", "restored"],
    ]);
    expect(store.restore(session)).toEqual([]);
    expect(store.claim(session, ["queued"], delivery)).toEqual([]);
  });

  it("a resubmission supersedes the restored inputs it carries, in the same write, once", async () => {
    const store = await make();
    const a = store.add(session, { kind: "queue", text: "a" });
    const b = store.add(session, { kind: "steer", text: "b" });
    const open = store.add(session, { kind: "queue", text: "still open" });
    store.restore(session, [a.id, b.id]);
    const again = store.add(session, { kind: "turn", text: "a\n\nb", supersedes: [a.id, b.id] });
    // Open inputs are not "restored": superseding them does nothing.
    expect(store.supersede(session, [open.id], "cleared")).toBe(0);
    expect(store.supersede(session, [a.id, b.id], "cleared")).toBe(0);
    const reopened = store.reconcile(session, new Set());
    expect(reopened.restored.map(({ text }) => text)).toEqual(["still open", "a\n\nb"]);
    expect(again.state).toBe("queued");
  });

  it("reconcile: open inputs and deliveries without proof come back, proven ones and dealt-with ones do not", async () => {
    const store = await make();
    const proven = store.add(session, { kind: "turn", text: "delivered and written" });
    const unproven = store.add(session, { kind: "steer", text: "claimed, crash before the write" });
    store.claim(session, ["queued", "pending_steer"], { turn: "t1", via: "turn_start" });
    const queued = store.add(session, { kind: "queue", text: "queued" });
    const steer = store.add(session, { kind: "steer", text: "steer" });
    const cleared = store.add(session, { kind: "queue", text: "cleared by the user" });
    store.restore(session, [cleared.id]);
    store.supersede(session, [cleared.id], "cleared");

    const opened = store.reconcile(session, new Set([proven.id]));
    expect(opened.restored.map(({ id }) => id)).toEqual([unproven.id, queued.id, steer.id]);
    expect(opened.restored.every(({ state }) => state === "restored")).toBe(true);
    expect(opened.restored[0]).not.toHaveProperty("deliveredTurn");
    expect(opened.draft).toBeUndefined();
    // Nothing is open any more: no turn may deliver them behind the user's back.
    expect(store.open(session)).toEqual([]);
    // A second reconcile gives the same answer: nothing moved twice.
    expect(store.reconcile(session, new Set([proven.id])).restored.map(({ id }) => id)).toEqual(
      opened.restored.map(({ id }) => id),
    );
  });

  it("the draft comes back with the restored inputs it does not hold; a submission forgets it", async () => {
    const store = await make();
    const held = store.add(session, { kind: "queue", text: "in the draft" });
    const loose = store.add(session, { kind: "queue", text: "not in the draft" });
    store.restore(session);
    store.saveDraft(session, {
      composer: '{"text":"in the draft + more"}',
      restoredIds: [held.id],
    });
    const opened = store.reconcile(session, new Set());
    expect(opened.restored.map(({ id }) => id)).toEqual([loose.id]);
    expect(opened.draft).toMatchObject({
      composer: '{"text":"in the draft + more"}',
      restoredIds: [held.id],
    });
    store.saveDraft(session, { composer: "", restoredIds: [] });
    expect(store.reconcile(session, new Set()).draft).toBeUndefined();
    store.saveDraft(session, { composer: "x", restoredIds: [] });
    store.add(session, { kind: "turn", text: "x" });
    expect(store.reconcile(session, new Set()).draft).toBeUndefined();
    expect(store.reconcile("other", new Set())).toEqual({ restored: [], draft: undefined });
  });

  it("recent: the latest inputs of any session, newest first", async () => {
    const store = await make();
    store.add(session, { kind: "turn", text: "one" });
    store.add("other", { kind: "turn", text: "two" });
    store.add(session, { kind: "steer", text: "three" });
    expect(store.recent(2).map(({ text }) => text)).toEqual(["three", "two"]);
  });
});
