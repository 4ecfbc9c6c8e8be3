import { describe, expect, it } from "vitest";
import { MemoryInputStore } from "./memory-input-store.js";

const session = "s1";
const delivery = { turn: "turn_1", via: "tool_boundary" as const };

describe("MemoryInputStore: an input moves once", () => {
  it("keeps submission order and the state each kind starts in", () => {
    const store = new MemoryInputStore();
    const turn = store.add(session, { kind: "turn", text: "a" });
    const steer = store.add(session, { kind: "steer", text: "b" });
    const queued = store.add(session, { kind: "queue", text: "c" });
    expect([turn.state, steer.state, queued.state]).toEqual(["queued", "pending_steer", "queued"]);
    expect(store.open(session).map(({ text }) => text)).toEqual(["a", "b", "c"]);
    expect(store.open("other")).toEqual([]);
  });

  it("a delivered input is never claimed, deferred or restored again", () => {
    const store = new MemoryInputStore();
    const steer = store.add(session, { kind: "steer", text: "b" });
    expect(store.claim(session, ["pending_steer"], delivery).map(({ id }) => id)).toEqual([
      steer.id,
    ]);
    expect(store.claim(session, ["pending_steer", "queued"], delivery)).toEqual([]);
    expect(store.defer(session)).toEqual([]);
    expect(store.restore(session, [steer.id])).toEqual([]);
    expect(store.open(session)).toEqual([]);
  });

  it("a deferred steer waits as queued; restore hands back every open input in order", () => {
    const store = new MemoryInputStore();
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
});
