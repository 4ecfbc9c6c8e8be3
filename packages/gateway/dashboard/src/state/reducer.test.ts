import { describe, expect, it } from "vitest";
import type {
  DashboardSnapshot,
  Decision,
  FleetProfile,
  RouteRow,
} from "../../../src/server/dashboard/dashboard-types.js";
import { EMPTY_STATE, MAX_DECISIONS, filterDecisions, reduce } from "./reducer.js";

const profile = (name: string, state: FleetProfile["state"] = "ready"): FleetProfile => ({
  profile: name,
  provider: "lab",
  left: 1,
  windows: [],
  state,
  pinned: false,
  next: false,
});
const route = (name: string, breaker: RouteRow["breaker"] = "closed"): RouteRow => ({
  route: name,
  breaker,
  calls: 0,
  failures: 0,
  p50: [],
  p99: [],
});
const decision = (id: string, at: number, extra: Partial<Decision> = {}): Decision => ({
  requestId: id,
  at,
  model: "lab/m",
  outcome: "ok",
  reason: "served by lab:none",
  attempts: [],
  excluded: [],
  inputTokens: 1,
  outputTokens: 1,
  ...extra,
});
const snapshot = (extra: Partial<DashboardSnapshot> = {}): DashboardSnapshot => ({
  server: { store: "sqlite", now: 10_000, canReset: true, switchBelow: 0.1 },
  fleet: [profile("a", "active"), profile("b")],
  routes: [route("lab:a"), route("lab:b")],
  decisions: [decision("r1", 1)],
  spend: {
    today: { role: [], model: [], profile: [] },
    week: { role: [], model: [], profile: [] },
    days: [],
    auditCap: 10_000,
  },
  loops: { running: false, loops: [] },
  ...extra,
});

describe("the dashboard reducer", () => {
  it("a snapshot replaces everything and sets the clock skew", () => {
    const state = reduce(EMPTY_STATE, { type: "snapshot", snapshot: snapshot() }, 9_000);
    expect([...state.fleet.keys()]).toEqual(["a", "b"]);
    expect([...state.routes.keys()]).toEqual(["lab:a", "lab:b"]);
    expect(state.decisions.map((row) => row.requestId)).toEqual(["r1"]);
    expect(state.skewMs).toBe(1_000);
    expect(state.server?.canReset).toBe(true);
  });

  it("a batch replaces only the rows it names, so unchanged rows keep their identity", () => {
    const before = reduce(EMPTY_STATE, { type: "snapshot", snapshot: snapshot() }, 10_000);
    const after = reduce(
      before,
      {
        type: "batch",
        batch: { now: 11_000, fleet: [profile("a", "cooldown")], routes: [route("lab:b", "open")] },
      },
      11_000,
    );
    expect(after.fleet.get("a")?.state).toBe("cooldown");
    expect(after.fleet.get("b")).toBe(before.fleet.get("b"));
    expect(after.routes.get("lab:b")?.breaker).toBe("open");
    expect(after.routes.get("lab:a")).toBe(before.routes.get("lab:a"));
    expect(after.decisions).toBe(before.decisions);
    expect(after.spend).toBe(before.spend);
  });

  it("removes profiles and routes a batch says are gone", () => {
    const before = reduce(EMPTY_STATE, { type: "snapshot", snapshot: snapshot() }, 0);
    const after = reduce(
      before,
      { type: "batch", batch: { now: 1, removedProfiles: ["b"], removedRoutes: ["lab:a"] } },
      1,
    );
    expect([...after.fleet.keys()]).toEqual(["a"]);
    expect([...after.routes.keys()]).toEqual(["lab:b"]);
  });

  it("keeps decisions newest first, each once, at most MAX_DECISIONS", () => {
    let state = reduce(EMPTY_STATE, { type: "snapshot", snapshot: snapshot() }, 0);
    state = reduce(
      state,
      { type: "batch", batch: { now: 1, decisions: [decision("r3", 3), decision("r1", 1)] } },
      1,
    );
    state = reduce(state, { type: "batch", batch: { now: 2, decisions: [decision("r2", 2)] } }, 2);
    expect(state.decisions.map((row) => row.requestId)).toEqual(["r3", "r2", "r1"]);
    const many = Array.from({ length: MAX_DECISIONS + 50 }, (_, index) =>
      decision(`m${index}`, 100 + index),
    );
    state = reduce(state, { type: "batch", batch: { now: 3, decisions: many } }, 3);
    expect(state.decisions).toHaveLength(MAX_DECISIONS);
    expect(state.decisions[0]?.requestId).toBe(`m${MAX_DECISIONS + 49}`);
  });

  it("takes new spend and loops, and the server's clock", () => {
    const before = reduce(EMPTY_STATE, { type: "snapshot", snapshot: snapshot() }, 10_000);
    const loops = {
      running: true,
      loops: [{ name: "nightly", schedule: "cron 0 3 * * *", state: "active" }],
    };
    const after = reduce(before, { type: "batch", batch: { now: 20_000, loops } }, 15_000);
    expect(after.loops).toEqual(loops);
    expect(after.server?.now).toBe(20_000);
    expect(after.skewMs).toBe(5_000);
  });
});

describe("the decision filter", () => {
  const rows = [
    decision("r1", 1, { role: "coder", provider: "lab", profile: "a" }),
    decision("r2", 2, { role: "qa", provider: "anth", profile: "b", outcome: "upstream_error" }),
  ];
  it("matches each field as a case-insensitive substring; empty fields match all", () => {
    const none = { role: "", model: "", provider: "", profile: "", outcome: "" };
    expect(filterDecisions(rows, none)).toHaveLength(2);
    expect(filterDecisions(rows, { ...none, role: "COD" }).map((row) => row.requestId)).toEqual([
      "r1",
    ]);
    expect(
      filterDecisions(rows, { ...none, outcome: "error", provider: "an" }).map(
        (row) => row.requestId,
      ),
    ).toEqual(["r2"]);
    expect(filterDecisions(rows, { ...none, profile: "zzz" })).toEqual([]);
  });
});
