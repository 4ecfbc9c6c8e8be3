import { describe, expect, it } from "vitest";
import { dayKey, rollupsOf } from "../../stats/rollup.js";
import type { AuditEntry } from "../../store/store.js";
import type { ProfileUsage } from "../../usage/usage-report.js";
import { fleetOf } from "./fleet-state.js";
import { SpendTally, spendDayKeys } from "./spend-state.js";
import { decisionOf, routesOf } from "./traffic-state.js";

const NOW = Date.UTC(2030, 0, 8, 12, 0, 0);

const usage = (name: string, left: number, extra: Partial<ProfileUsage> = {}): ProfileUsage => ({
  profile: name,
  provider: "lab",
  kind: "api-key",
  windows: [],
  left,
  cooldown: undefined,
  lastSwitch: undefined,
  ...extra,
});
const cooldown = (kind: string, until = NOW + 60_000) =>
  ({ route: "lab:profile:x", kind, until, reason: `${kind} reason` }) as ProfileUsage["cooldown"];

describe("the Fleet panel's states", () => {
  it("marks the pool's serving profile active and the one with most headroom next", () => {
    const fleet = fleetOf([usage("a", 0.5), usage("b", 0.2), usage("c", 0.9)], [], {
      pinned: undefined,
      now: NOW,
    });
    expect(fleet.map((row) => [row.profile, row.state, row.next])).toEqual([
      ["a", "active", false],
      ["b", "ready", false],
      ["c", "ready", true],
    ]);
  });

  it("follows the latest switch; cooldown and invalid profiles are never active nor next", () => {
    const fleet = fleetOf(
      [
        usage("a", 0, { cooldown: cooldown("rate_limited") }),
        usage("b", 0.4),
        usage("c", 1, { cooldown: cooldown("credential") }),
        usage("d", 0.3),
      ],
      [
        {
          at: NOW - 1000,
          provider: "lab",
          family: "*",
          from: "lab:profile:a",
          to: "lab:profile:d",
          fromProfile: "a",
          toProfile: "d",
          reason: "usage",
        },
      ],
      { pinned: undefined, now: NOW },
    );
    expect(fleet.map((row) => [row.profile, row.state, row.next])).toEqual([
      ["a", "cooldown", false],
      ["b", "ready", true],
      ["c", "invalid", false],
      ["d", "active", false],
    ]);
    expect(fleet[0]?.cooldown).toMatchObject({ kind: "rate_limited", until: NOW + 60_000 });
  });

  it("a pinned profile is active and nothing is next (the pin does not switch)", () => {
    const fleet = fleetOf([usage("a", 1), usage("b", 0.05)], [], { pinned: "b", now: NOW });
    expect(fleet.map((row) => [row.profile, row.state, row.pinned, row.next])).toEqual([
      ["a", "ready", false, false],
      ["b", "active", true, false],
    ]);
  });

  it("an ended cooldown no longer marks the profile", () => {
    const fleet = fleetOf([usage("a", 1, { cooldown: cooldown("rate_limited", NOW - 1) })], [], {
      pinned: undefined,
      now: NOW,
    });
    expect(fleet[0]?.state).toBe("active");
    expect(fleet[0]?.cooldown).toBeUndefined();
  });
});

const entry = (at: number, attempts: AuditEntry["attempts"], extra: Partial<AuditEntry> = {}) => ({
  at,
  requestId: `req_${at}_${attempts.length}`,
  model: "lab/m",
  attempts,
  excluded: [],
  outcome: attempts.some((attempt) => attempt.outcome === "ok") ? "ok" : "upstream_error",
  ...extra,
});

describe("the Routes panel's numbers", () => {
  it("error rate over 5 minutes and p50/p99 per minute, from the attempts", () => {
    const recent = [
      ...Array.from({ length: 99 }, (_, index) =>
        entry(NOW - 30_000, [{ route: "lab:a", outcome: "ok", latencyMs: index + 1 }]),
      ),
      entry(NOW - 30_000, [{ route: "lab:a", outcome: "ok", latencyMs: 1000 }]),
      entry(NOW - 20_000, [{ route: "lab:b", outcome: "transient", status: 502, latencyMs: 5 }]),
      entry(NOW - 10 * 60_000, [{ route: "lab:b", outcome: "ok", latencyMs: 7 }]),
    ];
    const routes = routesOf([], [], recent, { breakerCooldownMs: 30_000, now: NOW });
    const a = routes.find((row) => row.route === "lab:a");
    expect(a).toMatchObject({ breaker: "closed", calls: 100, failures: 0 });
    // All in the minute before this one (11:59): its slot is the last but one.
    expect(a?.p50.at(-2)).toBe(50);
    expect(a?.p99.at(-2)).toBe(99);
    expect(a?.p50.at(-1)).toBeNull();
    const b = routes.find((row) => row.route === "lab:b");
    expect(b).toMatchObject({ calls: 1, failures: 1 });
    expect(b?.p50.filter((value) => value !== null)).toEqual([7, 5]);
  });

  it("an open breaker shows its cause and when it lets a probe through", () => {
    const routes = routesOf(
      [
        {
          route: "lab:a",
          state: "open",
          consecutiveFailures: 3,
          window: [],
          openedAt: NOW - 1000,
          lastFailure: { at: NOW - 1000, reason: "transient upstream failure (502)" },
        },
      ],
      [],
      [],
      { breakerCooldownMs: 30_000, now: NOW },
    );
    expect(routes).toEqual([
      expect.objectContaining({
        route: "lab:a",
        breaker: "open",
        cause: "transient upstream failure (502)",
        until: NOW + 29_000,
      }),
    ]);
  });
});

describe("a decision's reason", () => {
  it("names the route that served, the failed attempts before it and the excluded routes", () => {
    const decision = decisionOf(
      entry(
        NOW,
        [
          { route: "lab:a", outcome: "transient", status: 502, latencyMs: 3 },
          { route: "lab:b", outcome: "ok", latencyMs: 9 },
        ],
        {
          excluded: [{ route: "lab:c", reason: "breaker open" }],
          call: {
            model: "lab/m",
            role: "coder",
            provider: "lab",
            profile: "b",
            input_tokens: 10,
            cached_input_tokens: 0,
            output_tokens: 2,
            latency_ms: 12,
            tool_calls: 0,
            outcome: "ok",
            cost_usd: 0.01,
          },
        },
      ),
    );
    expect(decision).toMatchObject({
      role: "coder",
      provider: "lab",
      profile: "b",
      route: "lab:b",
      costUsd: 0.01,
    });
    expect(decision.reason).toBe(
      "served by lab:b; after lab:a 502 transient; excluded lab:c (breaker open)",
    );
  });
});

describe("the spend tally", () => {
  const call = (at: number, role: string, usd: number, id: string): AuditEntry => ({
    at,
    requestId: id,
    model: "lab/m",
    attempts: [],
    excluded: [],
    outcome: "ok",
    call: {
      model: "lab/m",
      role,
      profile: "a",
      input_tokens: 100,
      cached_input_tokens: 0,
      output_tokens: 10,
      latency_ms: 1,
      tool_calls: 0,
      outcome: "ok",
      cost_usd: usd,
    },
  });

  it("sums today and 7 days by role, model and profile; older days drop out", () => {
    const tally = new SpendTally(10_000);
    tally.add(call(NOW, "coder", 0.5, "1"));
    tally.add(call(NOW - 1000, "qa", 0.25, "2"));
    tally.add(call(NOW - 3 * 86_400_000, "coder", 1, "3"));
    tally.add(call(NOW - 8 * 86_400_000, "coder", 100, "4"));
    const spend = tally.view(NOW);
    expect(spend.today.role.map((row) => [row.key, row.usd])).toEqual([
      ["coder", 0.5],
      ["qa", 0.25],
    ]);
    expect(spend.week.role.map((row) => [row.key, row.usd, row.calls])).toEqual([
      ["coder", 1.5, 2],
      ["qa", 0.25, 1],
    ]);
    expect(spend.week.model).toEqual([
      { key: "lab/m", inputTokens: 300, outputTokens: 30, usd: 1.75, calls: 3 },
    ]);
    expect(spend.days).toHaveLength(7);
    expect(spend.days.at(-1)).toMatchObject({ day: "2030-01-08", usd: 0.75 });
    expect(spend.days.at(-4)).toMatchObject({ day: "2030-01-05", usd: 1 });
    // A week later everything has left the window.
    expect(tally.view(NOW + 7 * 86_400_000).week.role).toEqual([]);
  });

  it("takes a day from the Store's day rollup when there is one: complete beyond the audit cap", () => {
    const tally = new SpendTally(10_000);
    // The audit log kept only one of the three calls made three days ago, and today's call.
    tally.add(call(NOW - 3 * 86_400_000, "coder", 1, "3"));
    tally.add(call(NOW, "coder", 0.5, "1"));
    const threeDaysAgo = Date.UTC(2030, 0, 5);
    // A QA verdict is not a call: it adds no row.
    const verdict = call(NOW - 3 * 86_400_000, "judge", 0, "7");
    if (verdict.call) verdict.call.qa_verdict = "pass";
    const rollups = rollupsOf([
      call(NOW - 3 * 86_400_000, "coder", 1, "3"),
      call(NOW - 3 * 86_400_000 - 1000, "coder", 2, "5"),
      call(NOW - 3 * 86_400_000 - 2000, "qa", 4, "6"),
      verdict,
    ]);
    const dayRollups = new Map([...rollups].filter(([key]) => key === dayKey(threeDaysAgo)));
    expect(spendDayKeys(NOW)).toContain(dayKey(threeDaysAgo));
    const spend = tally.view(NOW, dayRollups);
    expect(spend.rollups).toBe(true);
    expect(spend.days.at(-4)).toMatchObject({ day: "2030-01-05", usd: 7, inputTokens: 300 });
    // Today has no rollup: from the audit entries.
    expect(spend.days.at(-1)).toMatchObject({ day: "2030-01-08", usd: 0.5 });
    expect(spend.week.role.map((row) => [row.key, row.usd, row.calls])).toEqual([
      ["qa", 4, 1],
      ["coder", 3.5, 3],
    ]);
    expect(tally.view(NOW).rollups).toBeUndefined();
  });
});
