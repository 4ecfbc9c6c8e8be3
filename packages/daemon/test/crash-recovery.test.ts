import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { groupMembers, makeHome, waitFor, type Home } from "./harness.js";

let home: Home;
afterEach(async () => home?.cleanup());

describe("after a crash (kill -9 of the daemon)", () => {
  it("a run left running becomes interrupted and its whole process group is killed; it is not re-run", async () => {
    home = await makeHome();
    const added = await home.hedge([
      "loop",
      "add",
      "wedge",
      "--every",
      "1h",
      "--agent",
      "command",
      "--",
      "/bin/sh",
      "-c",
      "sleep 300 & sleep 300",
    ]);
    expect(added.code, added.stderr).toBe(0);
    const first = await home.startDaemon();
    expect((await home.hedge(["loop", "run", "wedge"])).code).toBe(0);
    const running = await waitFor("the run's process group", () =>
      home.runs("wedge").find((run) => run.status === "running" && run.pgid !== null),
    );
    // The shell and its background sleep.
    await waitFor("the grandchild", () => groupMembers(running.pgid!).length >= 2);

    first.child.kill("SIGKILL");
    await first.exited;
    // The crash alone leaves the group running (it was detached): the reaper's job.
    expect(groupMembers(running.pgid!).length).toBeGreaterThanOrEqual(2);

    await home.startDaemon();
    const ended = await waitFor("the run to be interrupted", () =>
      home.runs("wedge").find((run) => run.id === running.id && run.status !== "running"),
    );
    expect(ended).toEqual(
      expect.objectContaining({ status: "interrupted", reason: "daemon died" }),
    );
    expect(groupMembers(running.pgid!)).toEqual([]);
    // Never re-run: agent runs are not idempotent.
    expect(home.runs("wedge")).toHaveLength(1);
  });

  it("slots missed while down are not a storm: at most one runs, the rest are one skipped row, no duplicate (#67195, #51120)", async () => {
    home = await makeHome();
    const mark = join(home.work, "mark");
    await home.hedge([
      "loop",
      "add",
      "tick",
      "--every",
      "1s",
      "--missed",
      "once",
      "--agent",
      "command",
      "--",
      "/bin/sh",
      "-c",
      `echo "$HEDGE_SCHEDULED_FOR" >> ${mark}`,
    ]);
    const first = await home.startDaemon();
    await waitFor(
      "two runs",
      () => home.runs("tick").filter((run) => run.status === "succeeded").length >= 2,
    );
    first.child.kill("SIGKILL");
    await first.exited;
    const downAt = Date.now();
    await sleep(6000); // the downtime being tested, not an assertion
    const restartAt = Date.now();
    const second = await home.startDaemon();
    await waitFor(
      "runs after the restart",
      () =>
        home
          .runs("tick")
          .filter((run) => run.status === "succeeded" && run.scheduledFor > restartAt).length >= 2,
    );
    second.child.kill("SIGTERM");
    await second.exited;

    const runs = home.runs("tick");
    // Slots that fell while down: at most one ran (the catch-up, unless an on-time slot superseded it).
    const downtime = runs.filter(
      (run) => run.scheduledFor > downAt && run.scheduledFor < restartAt - 2000,
    );
    expect(downtime.filter((run) => run.status !== "skipped").length).toBeLessThanOrEqual(1);
    const skipped = downtime.filter((run) => run.status === "skipped");
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    expect(skipped.every((run) => run.reason === "missed")).toBe(true);
    // Every slot from the first to the last is accounted for: a row, or inside a collapsed row.
    const slots = runs.filter((run) => run.trigger === "schedule" || run.trigger === "catchup");
    const covered = new Set<number>();
    for (const run of slots) {
      for (
        let slot = run.scheduledFor;
        slot <= (run.collapsedUntilMs ?? run.scheduledFor);
        slot += 1000
      )
        covered.add(slot);
    }
    const firstSlot = Math.min(...covered);
    const lastSlot = Math.max(...covered);
    for (let slot = firstSlot; slot <= lastSlot; slot += 1000)
      expect(covered.has(slot), `slot ${slot}`).toBe(true);
    // No duplicate: one marker line per run that ran, none twice.
    const lines = readFileSync(mark, "utf8").trim().split("\n");
    expect(new Set(lines).size).toBe(lines.length);
    const ran = runs.filter((run) => run.status === "succeeded" || run.status === "interrupted");
    expect(lines.length).toBeGreaterThanOrEqual(
      runs.filter((run) => run.status === "succeeded").length,
    );
    expect(lines.length).toBeLessThanOrEqual(ran.length);
  });

  it("a one-time slot missed while down runs once at start under --missed once, never under skip", async () => {
    home = await makeHome();
    // Far enough ahead that `loop add` on a loaded machine still sees it in the future.
    const whenMs = Date.now() + 6000;
    const when = new Date(whenMs).toISOString();
    await home.hedge(["loop", "add", "late", "--at", when, "--agent", "command", "--", "true"]);
    await home.hedge([
      "loop",
      "add",
      "dropped",
      "--at",
      when,
      "--missed",
      "skip",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    // Both slots pass with no daemon, by more than the on-time grace.
    await sleep(Math.max(0, whenMs + 3000 - Date.now()));
    await home.startDaemon();
    const late = await waitFor("the catch-up", () =>
      home.runs("late").find((run) => run.status === "succeeded"),
    );
    expect(late.trigger).toBe("catchup");
    expect(late.scheduledFor).toBe(Date.parse(when));
    const dropped = await waitFor("the skipped slot", () => home.runs("dropped")[0]);
    expect(dropped).toEqual(expect.objectContaining({ status: "skipped", reason: "missed" }));
    expect(home.runs("late")).toHaveLength(1);
  });

  it("hedge daemon stop interrupts a running run with the reason, and ends its group", async () => {
    home = await makeHome();
    await home.hedge([
      "loop",
      "add",
      "long",
      "--every",
      "1h",
      "--agent",
      "command",
      "--",
      "/bin/sh",
      "-c",
      "sleep 300 & sleep 300",
    ]);
    await home.startDaemon();
    await home.hedge(["loop", "run", "long"]);
    const running = await waitFor("the run", () =>
      home.runs("long").find((run) => run.status === "running" && run.pgid !== null),
    );
    const stopped = await home.hedge(["daemon", "stop"]);
    expect(stopped.stdout).toContain("hedge daemon stopped");
    expect(home.runs("long")[0]).toEqual(
      expect.objectContaining({ status: "interrupted", reason: "daemon stopped" }),
    );
    expect(groupMembers(running.pgid!)).toEqual([]);
  });
});
