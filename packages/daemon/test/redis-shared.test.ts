import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, startRedisServer, type RedisServer } from "@hedge/testkit";
import { RedisLedger } from "../src/ledger/redis-ledger.js";
import type { Run } from "../src/ledger/types.js";
import { groupMembers, makeHome, waitFor, type DaemonProcess, type Home } from "./harness.js";

let homes: Home[] = [];
let redis: RedisServer | undefined;
afterEach(async () => {
  for (const home of homes) await home.cleanup();
  homes = [];
  await redis?.stop();
  redis = undefined;
});

/** Three homes (three daemons' worth) whose config points at one redis-server. */
async function threeHomes(url: string): Promise<[Home, Home, Home]> {
  const config = `[daemon]\nstore = "${url}"\n`;
  homes = [await makeHome(config), await makeHome(config), await makeHome(config)];
  return homes as [Home, Home, Home];
}

/** Every run in the shared ledger, as `hedge loop runs --json` prints it from `home`. */
async function runsFrom(home: Home): Promise<(Run & { loop: string })[]> {
  const listed = await home.hedge(["loop", "runs", "--json", "--limit", "100000"]);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as (Run & { loop: string })[];
}

function daemonIdOf(home: Home): string {
  return (JSON.parse(readFileSync(join(home.home, "daemon.json"), "utf8")) as { daemonId: string })
    .daemonId;
}

describe("several daemons on one Redis (daemon.store)", () => {
  it("three daemons run every slot exactly once, and hedge loop runs shows every run from any home", async () => {
    redis = await startRedisServer();
    const [a, b, c] = await threeHomes(redis.url);
    const daemons = [await a.startDaemon(), await b.startDaemon(), await c.startDaemon()];
    const ids = new Set([daemonIdOf(a), daemonIdOf(b), daemonIdOf(c)]);
    const fast = await a.hedge([
      "loop",
      "add",
      "fast",
      "--every",
      "1s",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    expect(fast.code, fast.stderr).toBe(0);
    const slow = await b.hedge([
      "loop",
      "add",
      "slow",
      "--every",
      "2s",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    expect(slow.code, slow.stderr).toBe(0);

    await waitFor(
      "eight runs of fast and four of slow",
      async () => {
        const runs = (await runsFrom(c)).filter((run) => run.status === "succeeded");
        return (
          runs.filter((run) => run.loop === "fast").length >= 8 &&
          runs.filter((run) => run.loop === "slow").length >= 4
        );
      },
      40_000,
    );
    const status = await b.hedge(["daemon", "status"]);
    expect(status.stdout).toContain(`  ledger  ${redis.url} (shared)\n`);
    for (const daemon of daemons) daemon.child.kill("SIGTERM");
    await Promise.all(daemons.map((daemon) => daemon.exited));

    const seen = await Promise.all([runsFrom(a), runsFrom(b), runsFrom(c)]);
    const byId = (runs: Run[]): string[] => runs.map((run) => run.id).sort();
    expect(byId(seen[1])).toEqual(byId(seen[0]));
    expect(byId(seen[2])).toEqual(byId(seen[0]));
    const runs = seen[0];
    for (const [name, period] of [
      ["fast", 1000],
      ["slow", 2000],
    ] as const) {
      const slots = runs
        .filter((run) => run.loop === name && run.trigger === "schedule")
        .map((run) => run.scheduledFor)
        .sort((x, y) => x - y);
      // One row per slot, and no slot between the first and the last left out.
      expect(new Set(slots).size).toBe(slots.length);
      for (let index = 1; index < slots.length; index += 1) {
        expect(slots[index]! - slots[index - 1]!).toBe(period);
      }
    }
    // Each run that ran says which daemon and host ran it: one of the three.
    for (const run of runs.filter((r) => r.status !== "skipped")) {
      expect(run.host).toBeTruthy();
      expect(ids.has(run.daemonId ?? "")).toBe(true);
    }
    expect(runs.filter((run) => run.status === "running" || run.status === "queued")).toEqual([]);
  }, 90_000);

  it("a daemon killed with kill -9 mid-run is finalized by another daemon's reaper, and its group is killed", async () => {
    redis = await startRedisServer();
    const [a, b, c] = await threeHomes(redis.url);
    const daemons: DaemonProcess[] = [
      await a.startDaemon(),
      await b.startDaemon(),
      await c.startDaemon(),
    ];
    const ids = [daemonIdOf(a), daemonIdOf(b), daemonIdOf(c)];
    const added = await a.hedge([
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
      "sleep 30 & sleep 30",
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect((await b.hedge(["loop", "run", "wedge"])).code).toBe(0);
    const running = await waitFor("the run's process group", async () =>
      (await runsFrom(c)).find((run) => run.status === "running" && run.pgid !== null),
    );
    await waitFor("the grandchild", () => groupMembers(running.pgid!).length >= 2);
    const owner = ids.indexOf(running.daemonId!);
    expect(owner).toBeGreaterThanOrEqual(0);
    daemons[owner]!.child.kill("SIGKILL");
    await daemons[owner]!.exited;

    const ended = await waitFor(
      "another daemon to interrupt the run",
      async () =>
        (await runsFrom(homes[(owner + 1) % 3]!)).find(
          (run) => run.id === running.id && run.status !== "running",
        ),
      30_000,
    );
    expect(ended).toEqual(
      expect.objectContaining({ status: "interrupted", reason: "daemon died" }),
    );
    // Same host and boot as the dead daemon: the survivor may, and does, end its group.
    await waitFor("the group to be killed", () => groupMembers(running.pgid!).length === 0);
    // Not re-run by the survivors.
    expect((await runsFrom(c)).filter((run) => run.loop === "wedge")).toHaveLength(1);
  }, 90_000);

  it("after every daemon was killed, a restart of all three is no storm: one catch-up, the rest one skipped row, no duplicate", async () => {
    redis = await startRedisServer();
    const [a, b, c] = await threeHomes(redis.url);
    let daemons = [await a.startDaemon(), await b.startDaemon(), await c.startDaemon()];
    const added = await a.hedge([
      "loop",
      "add",
      "tick",
      "--every",
      "1s",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    expect(added.code, added.stderr).toBe(0);
    await waitFor(
      "two runs",
      async () => (await runsFrom(a)).filter((run) => run.status === "succeeded").length >= 2,
    );
    for (const daemon of daemons) daemon.child.kill("SIGKILL");
    await Promise.all(daemons.map((daemon) => daemon.exited));
    const downAt = Date.now();
    await waitFor("six slots to pass", () => Date.now() - downAt >= 6000 || undefined, 10_000);
    // No daemon runs before this; slots within the on-time grace (2 s) of it may still run on time.
    const restartAt = Date.now();
    daemons = await Promise.all([a.startDaemon(), b.startDaemon(), c.startDaemon()]);
    const upAt = Date.now();
    await waitFor(
      "two runs after the restart",
      async () =>
        (await runsFrom(b)).filter((run) => run.startedAtMs !== null && run.startedAtMs >= upAt)
          .length >= 2,
    );
    for (const daemon of daemons) daemon.child.kill("SIGTERM");
    await Promise.all(daemons.map((daemon) => daemon.exited));

    const runs = await runsFrom(c);
    const slots = runs.map((run) => run.scheduledFor);
    expect(new Set(slots).size).toBe(slots.length);
    // The downtime's slots: at most one ran late (the latest, as a catch-up); the others are
    // skipped rows, never a burst of runs.
    const down = runs.filter(
      (run) => run.scheduledFor > downAt && run.scheduledFor < restartAt - 2000,
    );
    const ranLate = down.filter((run) => run.status !== "skipped");
    expect(ranLate.length).toBeLessThanOrEqual(1);
    expect(ranLate.every((run) => run.trigger === "catchup")).toBe(true);
    const covered = (slot: number): boolean =>
      runs.some(
        (run) =>
          run.scheduledFor === slot ||
          (run.collapsedUntilMs !== null &&
            run.scheduledFor <= slot &&
            slot <= run.collapsedUntilMs),
      );
    const first = slots.filter((slot) => slot > downAt).sort((x, y) => x - y)[0]!;
    for (let slot = first; slot < restartAt - 2000; slot += 1000) expect(covered(slot)).toBe(true);
    expect(runs.filter((run) => run.trigger === "catchup").length).toBeLessThanOrEqual(1);
  }, 90_000);

  it("--overlap skip holds across daemons: a slot while another daemon runs the loop is a skipped row", async () => {
    redis = await startRedisServer();
    const [a, b, c] = await threeHomes(redis.url);
    const daemons = [await a.startDaemon(), await b.startDaemon(), await c.startDaemon()];
    const added = await a.hedge([
      "loop",
      "add",
      "long",
      "--every",
      "1s",
      "--agent",
      "command",
      "--",
      "sleep",
      "2.5",
    ]);
    expect(added.code, added.stderr).toBe(0);
    await waitFor(
      "three runs to end",
      async () => (await runsFrom(b)).filter((run) => run.status === "succeeded").length >= 3,
      40_000,
    );
    for (const daemon of daemons) daemon.child.kill("SIGTERM");
    await Promise.all(daemons.map((daemon) => daemon.exited));
    const ran = (await runsFrom(c))
      .filter((run) => run.status === "succeeded")
      .sort((x, y) => x.startedAtMs! - y.startedAtMs!);
    // Never two at once, whichever daemons ran them.
    for (let index = 1; index < ran.length; index += 1) {
      expect(ran[index]!.startedAtMs!).toBeGreaterThanOrEqual(ran[index - 1]!.endedAtMs!);
    }
    const skipped = (await runsFrom(c)).filter((run) => run.reason === "overlap");
    expect(skipped.length).toBeGreaterThan(0);
  }, 90_000);

  it("hedge loop runs says on which host a run of another machine ran", async () => {
    redis = await startRedisServer();
    const [a] = await threeHomes(redis.url);
    const added = await a.hedge([
      "loop",
      "add",
      "far",
      "--every",
      "1h",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    expect(added.code, added.stderr).toBe(0);
    // Another machine's daemon, as the shared ledger records it.
    const ledger = await RedisLedger.connect(redis.url);
    try {
      const loop = await ledger.requireLoop("far");
      const run = (await ledger.insertEventRun(loop.id, "manual", null, Date.now()))!;
      expect(
        await ledger.claim(run.id, "dm_far", "far-host", Date.now() + 60_000, Date.now()),
      ).toBe(true);
      await ledger.finalize(run.id, "dm_far", {
        status: "succeeded",
        reason: null,
        endedAtMs: Date.now(),
        exitCode: 0,
      });
    } finally {
      await ledger.close();
    }
    const listed = await a.hedge(["loop", "runs"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/far .* manual +succeeded .* on far-host\n$/);
  });

  it("a daemon whose Redis is unreachable stops at start with one line naming the store and a hint, never the password", async () => {
    const port = await freePort();
    const [home] = [await makeHome(`[daemon]\nstore = "redis://:hunter2pass@127.0.0.1:${port}"\n`)];
    homes = [home];
    const run = await home.hedge(["daemon", "run"]);
    expect(run.code).not.toBe(0);
    const lines = run.stderr.trim().split("\n");
    expect(lines[0]).toMatch(
      new RegExp(
        `^hedge: Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} is unreachable \\(.*ECONNREFUSED.*\\)$`,
      ),
    );
    expect(lines[1]).toMatch(/^ {2}hint: start Redis, or fix daemon\.store/);
    expect(lines).toHaveLength(2);
    expect(run.stderr).not.toContain("hunter2pass");
  });
});
