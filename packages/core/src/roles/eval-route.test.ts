import { describe, expect, it } from "vitest";
import {
  chooseByEvals,
  classifyPrompt,
  type EvalRouting,
  type EvalRoutingRow,
} from "./eval-route.js";

function rows(
  model: string,
  cost: number,
  passes: number,
  n: number,
  low: number,
  high: number,
): EvalRoutingRow[] {
  return ["bugfix", "python"].map((tag) => ({
    tag,
    model,
    toolset: "default",
    n,
    passes,
    low,
    high,
    costPerTaskUsd: cost,
  }));
}

// Wilson 95%: 24/25 → [0.80, 0.99]; 19/25 → [0.57, 0.89]; 25/25 → [0.87, 1.00].
const TABLE: EvalRouting = {
  target: 0.8,
  minN: 10,
  table: {
    runId: "ev_20261207_1a2b3c",
    date: "2026-12-07",
    taskSetHash: "3f2a".padEnd(64, "0"),
    metric: "pass_1",
    rows: [
      ...rows("lab/haiku", 0.002, 19, 25, 0.5657, 0.8856),
      ...rows("lab/mini", 0.006, 24, 25, 0.8046, 0.9929),
      ...rows("lab/opus", 0.09, 25, 25, 0.8668, 1.0),
      ...rows("lab/tiny-n", 0.0001, 5, 5, 0.5655, 1.0),
    ],
  },
};

describe("classifyPrompt", () => {
  it("reads the kind from the verbs and the language from the files", () => {
    expect(classifyPrompt("fix the failing test in parser.py")).toEqual(["bugfix", "python"]);
    expect(classifyPrompt("add a --json flag to src/cli.ts and src/lib.ts")).toEqual([
      "feature",
      "ts",
      "multi-file",
    ]);
    expect(classifyPrompt("rename calc_total in pricing.py")).toEqual(["refactor", "python"]);
    expect(classifyPrompt("hello")).toEqual([]);
  });
});

describe("chooseByEvals", () => {
  it("picks the cheapest model whose lower bound meets the target and cites the run", () => {
    const choice = chooseByEvals("fix the failing test in parser.py", TABLE);
    expect(choice.model).toBe("lab/mini");
    expect(choice.reason).toBe(
      "evals ev_20261207_1a2b3c (2026-12-07, tasks 3f2a…): bugfix+python → lab/mini, pass@1 24/25 [0.80, 0.99] ≥ 0.80, $0.0060/task (cheapest qualifying; lab/haiku 19/25 [0.57, 0.89]; lab/tiny-n 5/5 [0.57, 1.00] below)",
    );
  });

  it("chooses the tool set with the model: the cheaper qualifying arm wins", () => {
    const withJs: EvalRouting = {
      ...TABLE,
      table: {
        ...TABLE.table!,
        rows: [
          ...TABLE.table!.rows,
          ...rows("lab/mini", 0.004, 24, 25, 0.8046, 0.9929).map((row) => ({
            ...row,
            toolset: "js",
          })),
        ],
      },
    };
    const choice = chooseByEvals("fix the failing test in parser.py", withJs);
    expect(choice).toMatchObject({ model: "lab/mini", toolset: "js" });
  });

  it("moves to the next model when the target rises", () => {
    expect(
      chooseByEvals("fix the failing test in parser.py", { ...TABLE, target: 0.85 }).model,
    ).toBe("lab/opus");
  });

  it("skips a model the policy refuses, and says so", () => {
    const choice = chooseByEvals(
      "fix parser.py",
      TABLE,
      new Map([["lab/mini", "hosted providers are not allowed"]]),
    );
    expect(choice.model).toBe("lab/opus");
    expect(choice.reason).toContain("lab/mini not allowed: hosted providers are not allowed");
  });

  it("leaves routing unchanged, and says why, with no table, no tag or no qualifying model", () => {
    expect(chooseByEvals("fix parser.py", { target: 0.8, minN: 10, table: undefined })).toEqual({
      model: undefined,
      reason: "evals: no complete eval run; routing unchanged",
    });
    expect(chooseByEvals("hello there", TABLE).reason).toContain("names no task tag");
    const none = chooseByEvals("fix parser.py", { ...TABLE, target: 0.99 });
    expect(none.model).toBeUndefined();
    expect(none.reason).toContain("no model reaches pass@1 ≥ 0.99 with n ≥ 10");
    expect(chooseByEvals("fix the build.sh script", TABLE).reason).toContain(
      "no model has rows for these tags",
    );
  });
});
