import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evalFixture, okTask, runIdOf, type EvalFixture } from "./eval-harness.js";

let fixture: EvalFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/** Resolves once `predicate` holds for the run's attempt log (polled; the kill is the point). */
async function waitFor(check: () => boolean): Promise<void> {
  for (;;) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("hedge eval run --resume", () => {
  it("after kill -9, finishes the run with no attempt run twice", async () => {
    const ids = ["t1", "t2", "t3", "t4", "t5", "t6"];
    // Each attempt takes a moment in the sandbox, so the kill lands inside one.
    fixture = await evalFixture(
      ids.map((id) =>
        okTask(id, {
          attempt: [
            [{ run: ["sleep", "1"] }],
            [{ write: "answer.txt", content: "ok\n" }],
            [{ say: "done" }],
          ],
        }),
      ),
    );
    const f = fixture;
    const child = f.spawn(["eval", "run", "--model", "scripted/coder", "--parallel", "1"]);
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise((resolve) => child.on("close", resolve));
    await waitFor(() => /eval run ev_\w+/.test(stderr));
    const runId = runIdOf(stderr);
    const lines = (): Record<string, unknown>[] => {
      try {
        return f.attempts(runId);
      } catch {
        return [];
      }
    };
    // Killed while the fourth attempt runs: three finished, one started and never finished.
    await waitFor(() => lines().filter((line) => line["event"] === "started").length === 4);
    child.kill("SIGKILL");
    await exited;
    const before = lines();
    const finishedBefore = before
      .filter((line) => line["event"] === "finished")
      .map((line) => line["task"]);
    expect(finishedBefore).toHaveLength(3);
    const requestsBefore = f.requestTasks().length;

    const resumed = await f.run(["eval", "run", "--resume", runId]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = lines();
    const finished = after.filter((line) => line["event"] === "finished");
    expect(new Set(finished.map((line) => line["attempt"])).size).toBe(6);
    expect(finished).toHaveLength(6);
    expect(after.filter((line) => line["event"] === "abandoned")).toHaveLength(1);
    // The model was never asked about a task that had finished before the kill.
    const askedAfter = f.requestTasks().slice(requestsBefore);
    for (const task of finishedBefore) expect(askedAfter).not.toContain(task);
    const report = readFileSync(join(f.runDir(runId), "report.md"), "utf8");
    expect(report).toContain("6/6 attempts");
    expect(report).toContain("6/6 = 1.00");
  });

  it("stops starting attempts at the budget and says so", async () => {
    fixture = await evalFixture(
      ["b1", "b2", "b3"].map((id) => okTask(id)),
      // A steep price: the first attempt alone costs more than the budget.
      ["prices = { coder = { input = 100.0, output = 100.0 } }"],
    );
    const run = await fixture.run([
      "eval",
      "run",
      "--model",
      "scripted/coder",
      "--budget-usd",
      "0.001",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const runId = runIdOf(run.stderr);
    const lines = fixture.attempts(runId);
    expect(lines.filter((line) => line["event"] === "started")).toHaveLength(1);
    expect(lines.filter((line) => line["event"] === "finished")).toHaveLength(1);
    expect(run.stdout).toContain("stopped by budget after 1 of 3 attempts");
  });
});
