import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, items, modelsCalled, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const RUN_ID = "ev_20261207_1a2b3c";

/** A complete, non-scripted eval report in HEDGE_HOME: lab/cheap misses 0.8, lab/mid meets it. */
function writeReport(home: string, overrides: Record<string, unknown> = {}): void {
  const arm = (
    model: string,
    x: number,
    low: number,
    high: number,
    cost: number,
  ): Record<string, unknown> => {
    const rate = { x, n: 25, p: x / 25, low, high };
    return {
      label: `${model} · default`,
      model,
      toolset: "default",
      n: 25,
      cost_per_task_usd: cost,
      tags: { bugfix: { pass_1: rate, pass_2: rate }, python: { pass_1: rate, pass_2: rate } },
    };
  };
  const dir = join(home, "evals", "runs", RUN_ID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "report.json"),
    JSON.stringify({
      v: 1,
      run: RUN_ID,
      date: "2026-12-07",
      scripted: false,
      task_set_hash: "3f2a".padEnd(64, "0"),
      planned: 25,
      finished: 25,
      complete: true,
      arms: [
        arm("lab/cheap", 19, 0.5657, 0.8856, 0.001),
        arm("lab/mid", 24, 0.8046, 0.9929, 0.006),
        arm("lab/dear", 25, 0.8668, 1, 0.09),
      ],
      ...overrides,
    }),
  );
}

const PROMPT = "fix the failing test in parser.py";

describe("routing on eval results", () => {
  it("route explain --prompt picks the cheapest qualifying model and cites the run, n and interval", async () => {
    fixture = await execFixture(["[routing]", 'evals = "latest"', "eval_target = 0.8"]);
    writeReport(fixture.home.path);
    const explained = await runHedge(["route", "explain", "lab/coder", "--prompt", PROMPT], {
      env: fixture.env,
    });
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain(
      `evals ${RUN_ID} (2026-12-07, tasks 3f2a…): bugfix+python → lab/mid, pass@1 24/25 [0.80, 0.99] ≥ 0.80`,
    );
    expect(explained.stdout).toContain("model lab/mid");
    const stricter = await runHedge(
      ["route", "explain", "lab/coder", "--prompt", PROMPT, "-c", "routing.eval_target=0.85"],
      { env: fixture.env },
    );
    expect(stricter.stdout).toContain("→ lab/dear");
  });

  it("exec runs the executor on the chosen model, and the route decision says why", async () => {
    fixture = await execFixture(["[routing]", 'evals = "latest"']);
    writeReport(fixture.home.path);
    fixture.upstream.push({ text: "done" });
    const run = await runHedge(["exec", "--json", PROMPT], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(modelsCalled(fixture)).toEqual(["mid"]);
    const [decision] = items(run.stdout, "route_decision");
    expect(decision?.["reason"]).toContain(`evals ${RUN_ID}`);
    expect(decision?.["reason"]).toContain("24/25 [0.80, 0.99]");
  });

  it("leaves routing unchanged with no eval data, and says so", async () => {
    fixture = await execFixture(["[routing]", 'evals = "latest"']);
    fixture.upstream.push({ text: "done" });
    const run = await runHedge(["exec", "--json", PROMPT], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(modelsCalled(fixture)).toEqual(["coder"]);
    const notices = items(run.stdout, "notice").map((item) => item["message"]);
    expect(notices).toContain("evals: no complete eval run; routing unchanged");
    const explained = await runHedge(["route", "explain", "lab/coder", "--prompt", PROMPT], {
      env: fixture.env,
    });
    expect(explained.stdout).toContain("evals: no complete eval run; routing unchanged");
  });

  it("never routes on a scripted harness run, and -m still wins", async () => {
    fixture = await execFixture(["[routing]", 'evals = "latest"']);
    writeReport(fixture.home.path, { scripted: true });
    fixture.upstream.push({ text: "done" }, { text: "done" });
    const run = await runHedge(["exec", "--json", PROMPT], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(modelsCalled(fixture)).toEqual(["coder"]);
    expect(run.code).toBe(0);
    writeReport(fixture.home.path);
    const pinned = await runHedge(["exec", "--json", "-m", "lab/coder", PROMPT], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(modelsCalled(fixture)).toEqual(["coder", "coder"]);
  });
});
