import { describe, expect, it } from "vitest";
import type { FinishedRecord } from "../run/attempt-record.js";
import type { RunManifest } from "../run/run-manifest.js";
import { compareRuns } from "./compare.js";
import { plotSvg } from "./plot-svg.js";
import { summarize, type RunReport } from "./summarize.js";

function manifest(run: string, overrides: Partial<RunManifest> = {}): RunManifest {
  return {
    v: 1,
    run,
    created: "2026-12-07T10:00:00.000Z",
    tasks_glob: "*",
    task_ids: Array.from({ length: 10 }, (_, index) => `t${index}`),
    task_set_hash: "3f2a".padEnd(64, "0"),
    arms: [{ executor: "lab/<small> & co", orchestrator: null, qa: null }],
    toolsets: ["default"],
    attempts: 1,
    tries: 2,
    budget_usd: null,
    parallel: 1,
    hedge_commit: "abc",
    dirty: false,
    hedge_version: "0.1.0",
    scripted: false,
    ...overrides,
  };
}

function record(run: string, task: string, passed: boolean, cost = 0.01): FinishedRecord {
  return {
    v: 1,
    event: "finished",
    attempt: `at_${run}_${task}`,
    run,
    task,
    tags: ["bugfix", "python"],
    sample: 0,
    toolset: "default",
    roles: { executor: "lab/<small> & co", orchestrator: null, qa: null },
    routes: [{ role: "executor", provider: "lab", profile: null, upstream_model: "small-2026" }],
    tries: [{ try: 1, passed, timed_out: false, test_ms: 5 }],
    passed_1: passed,
    passed_2: passed,
    tokens: { input: 100, cached_input: 0, output: 10 },
    cost_usd: cost,
    wall_ms: 1000,
    tool_calls: 3,
    malformed_edits: 0,
    edits_outside: 0,
    test_timeouts: 0,
    session: null,
    hedge_commit: "abc",
    dirty: false,
    task_set_hash: "3f2a",
    error: null,
  };
}

function run(
  id: string,
  passes: boolean[],
  overrides: Partial<RunManifest> = {},
): { report: RunReport; records: FinishedRecord[] } {
  const m = manifest(id, overrides);
  const records = passes.map((passed, index) => record(id, `t${index}`, passed));
  return { report: summarize({ manifest: m, records, planned: m.task_ids.length }), records };
}

describe("summarize", () => {
  it("gives n, Wilson intervals, $ per solved task and model versions", () => {
    const { report } = run("ev_a", [true, true, true, true, true, true, true, true, false, false]);
    const arm = report.arms[0];
    expect(arm?.pass_1).toMatchObject({ x: 8, n: 10 });
    expect(arm?.pass_1.low).toBeCloseTo(0.4902, 4);
    expect(arm?.cost_per_solved_usd).toBeCloseTo(0.1 / 8, 10);
    expect(arm?.model_versions).toEqual(["small-2026"]);
    expect(report.complete).toBe(true);
  });

  it("says ∞ $ per solved task when nothing was solved", () => {
    const { report } = run(
      "ev_a",
      Array.from({ length: 10 }, () => false),
    );
    expect(report.arms[0]?.cost_per_solved_usd).toBeNull();
  });
});

describe("compareRuns", () => {
  it("refuses runs over different task sets, naming both hashes", () => {
    const a = run(
      "ev_a",
      Array.from({ length: 10 }, () => true),
    );
    const b = run(
      "ev_b",
      Array.from({ length: 10 }, () => false),
      { task_set_hash: "91c0".padEnd(64, "0") },
    );
    expect(() => compareRuns(a, b)).toThrow(
      "runs used different task sets (3f2a0000… vs 91c00000…)",
    );
  });

  it("refuses an incomplete run", () => {
    const a = run(
      "ev_a",
      Array.from({ length: 10 }, () => true),
    );
    const b = run("ev_b", [true, false]);
    expect(() => compareRuns(a, b)).toThrow("run ev_b is incomplete (2 of 10 attempts)");
  });

  it("refuses when n is too small to tell the runs apart, with the counts and p", () => {
    const a = run("ev_a", [true, true, true, false, false, false, false, false, true, true]);
    const b = run("ev_b", [false, false, true, true, true, true, true, false, true, true]);
    expect(() => compareRuns(a, b)).toThrow(
      "can't tell these apart: 2 tasks only A solved, 4 only B, p = 0.69 at n = 10",
    );
  });

  it("compares when the discordant pairs say enough", () => {
    const a = run(
      "ev_a",
      Array.from({ length: 10 }, (_, index) => index < 2),
    );
    const b = run(
      "ev_b",
      Array.from({ length: 10 }, () => true),
    );
    const comparison = compareRuns(a, b);
    expect(comparison).toMatchObject({ onlyA: 0, onlyB: 8, n: 10 });
    expect(comparison.p).toBeCloseTo(0.0078125, 10);
  });
});

describe("plotSvg", () => {
  it("draws one error bar per arm, escapes labels and marks scripted runs", () => {
    const a = run("ev_a", [true, false, true, true, true, true, true, true, true, true], {
      scripted: true,
    });
    const b = run("ev_b", [true, false, false, true, true, true, true, true, true, true]);
    const svg = plotSvg([a.report, b.report]);
    expect(svg.match(/class="error-bar"/g)).toHaveLength(2);
    expect(svg).toContain("lab/&#60;small&#62; &#38; co · default");
    expect(svg).not.toContain("<small>");
    expect(svg).toContain("SCRIPTED — harness test");
    expect(svg).toMatch(/<title id="t">/);
    expect(svg).toContain("ev_a · 2026-12-07 · tasks 3f2a00000000");
    expect(plotSvg([b.report])).not.toContain("SCRIPTED");
  });
});
