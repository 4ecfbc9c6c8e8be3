import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { makeHome, waitFor, type Home } from "./harness.js";
import type { Run } from "../src/ledger/types.js";

let home: Home;
afterEach(async () => home?.cleanup());

/** The most runs that were running at one instant. */
function peakConcurrency(runs: Run[]): number {
  const edges = runs
    .filter((run) => run.startedAtMs !== null)
    .flatMap((run) => [
      [run.startedAtMs!, 1],
      [run.endedAtMs ?? Infinity, -1],
    ])
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    now += delta!;
    peak = Math.max(peak, now);
  }
  return peak;
}

describe("overlap and the global cap", () => {
  it("--overlap skip: a slot while the last run runs is a skipped row, never a second run", async () => {
    home = await makeHome();
    await home.hedge([
      "loop",
      "add",
      "slow",
      "--every",
      "1s",
      "--agent",
      "command",
      "--",
      "sleep",
      "2.5",
    ]);
    await home.startDaemon();
    await waitFor(
      "skipped overlaps",
      () => home.runs("slow").filter((run) => run.reason === "overlap").length >= 2,
    );
    const runs = home.runs("slow");
    expect(peakConcurrency(runs)).toBe(1);
    expect(
      runs.filter((run) => run.reason === "overlap").every((run) => run.status === "skipped"),
    ).toBe(true);
  });

  it("--overlap queue: one slot waits for the running one, later ones are skipped", async () => {
    home = await makeHome();
    await home.hedge([
      "loop",
      "add",
      "queued",
      "--every",
      "1s",
      "--overlap",
      "queue",
      "--agent",
      "command",
      "--",
      "sleep",
      "2.5",
    ]);
    await home.startDaemon();
    await waitFor(
      "a second run",
      () => home.runs("queued").filter((run) => run.status === "succeeded").length >= 2,
      30_000,
    );
    const runs = home.runs("queued");
    expect(peakConcurrency(runs)).toBe(1);
    expect(runs.filter((run) => run.status === "queued").length).toBeLessThanOrEqual(1);
    expect(runs.some((run) => run.reason === "overlap")).toBe(true);
  });

  it("[daemon] max_concurrent_runs caps runs across loops; the rest wait visibly queued", async () => {
    home = await makeHome("[daemon]\nmax_concurrent_runs = 1\n");
    for (const name of ["a", "b", "c"]) {
      await home.hedge([
        "loop",
        "add",
        name,
        "--every",
        "1h",
        "--overlap",
        "queue",
        "--agent",
        "command",
        "--",
        "sleep",
        "3",
      ]);
    }
    await home.startDaemon();
    for (const name of ["a", "b", "c"]) await home.hedge(["loop", "run", name]);
    // While one runs, the others wait, and `loop runs` shows them waiting.
    await waitFor("a run waiting behind the cap", () => {
      const runs = home.runs();
      return (
        runs.some((run) => run.status === "queued") && runs.some((run) => run.status === "running")
      );
    });
    const listed = await home.hedge(["loop", "runs", "--json"]);
    expect((JSON.parse(listed.stdout) as Run[]).some((run) => run.status === "queued")).toBe(true);
    await waitFor(
      "all three",
      () => home.runs().filter((run) => run.status === "succeeded").length === 3,
      60_000,
    );
    expect(peakConcurrency(home.runs())).toBe(1);
  });
});

describe("no surprise runs (#79754, #88408)", () => {
  it("resume runs nothing for slots that fell while paused", async () => {
    home = await makeHome();
    await home.hedge(["loop", "add", "p", "--every", "1s", "--agent", "command", "--", "true"]);
    await home.startDaemon();
    await waitFor("a run", () => home.runs("p").some((run) => run.status === "succeeded"));
    expect((await home.hedge(["loop", "pause", "p"])).stdout).toContain("paused");
    const pausedAt = Date.now();
    await sleep(3500); // slots fall while paused
    const resumedAt = Date.now();
    expect((await home.hedge(["loop", "resume", "p"])).code).toBe(0);
    await waitFor("a run after resume", () =>
      home.runs("p").some((run) => run.scheduledFor > resumedAt && run.status === "succeeded"),
    );
    const duringPause = home
      .runs("p")
      .filter((run) => run.scheduledFor > pausedAt + 1000 && run.scheduledFor <= resumedAt);
    expect(duringPause).toEqual([]);
  });

  it("a restart under --missed skip runs nothing for the downtime", async () => {
    home = await makeHome();
    await home.hedge([
      "loop",
      "add",
      "s",
      "--every",
      "1s",
      "--missed",
      "skip",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    const first = await home.startDaemon();
    await waitFor("a run", () => home.runs("s").some((run) => run.status === "succeeded"));
    first.child.kill("SIGKILL");
    await first.exited;
    const downAt = Date.now();
    await sleep(5000);
    const restartAt = Date.now();
    await home.startDaemon();
    await waitFor("a run after restart", () =>
      home.runs("s").some((run) => run.scheduledFor > restartAt && run.status === "succeeded"),
    );
    // Rows whose slot (or collapsed range) falls in the downtime.
    const downtime = home
      .runs("s")
      .filter(
        (run) =>
          (run.collapsedUntilMs ?? run.scheduledFor) > downAt + 1000 &&
          run.scheduledFor < restartAt - 2000,
      );
    expect(downtime.length).toBeGreaterThan(0);
    expect(downtime.every((run) => run.status === "skipped" && run.reason === "missed")).toBe(true);
  });

  it("loop add while the daemon is down takes effect when it starts", async () => {
    home = await makeHome();
    const added = await home.hedge([
      "loop",
      "add",
      "later",
      "--every",
      "1s",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    expect(added.code).toBe(0);
    expect(added.stderr).toContain("hedge daemon is not running");
    await home.startDaemon();
    await waitFor("a run", () => home.runs("later").some((run) => run.status === "succeeded"));
  });

  it("a loop past --expires is paused, and says so", async () => {
    home = await makeHome();
    const expires = new Date(Date.now() + 4000).toISOString();
    const added = await home.hedge([
      "loop",
      "add",
      "brief",
      "--every",
      "1s",
      "--expires",
      expires,
      "--agent",
      "command",
      "--",
      "true",
    ]);
    expect(added.code, added.stderr).toBe(0);
    await home.startDaemon();
    await waitFor(
      "the loop to pause",
      async () => (await home.hedge(["loop", "list"])).stdout.includes("paused"),
      30_000,
    );
    const runs = home.runs("brief");
    expect(runs.every((run) => run.scheduledFor <= Date.parse(expires))).toBe(true);
  });
});
