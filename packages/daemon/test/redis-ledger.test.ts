import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "@hedge/testkit";
import { bootId, groupAlive, processStartTicks } from "../src/run/proc-identity.js";
import { killGroup } from "../src/run/process-group.js";
import { reapOrphans } from "../src/tick/reaper.js";
import { RedisLedger } from "../src/ledger/redis-ledger.js";
import type { LoopSpec, SlotRow } from "../src/ledger/types.js";

const spec: LoopSpec = {
  name: "nightly",
  schedule: { kind: "every", periodMs: 1000, anchorMs: 0 },
  trigger: null,
  adapter: "command",
  prompt: null,
  argv: ["true"],
  cwd: "/",
  worktree: false,
  missed: "once",
  missedMaxAgeMs: 86_400_000,
  overlap: "skip",
  timeoutMs: 60_000,
  budgetUsd: null,
  maxTurns: null,
  profile: null,
  viaGateway: false,
  verifyArgv: null,
  envNames: [],
  jitterMs: 0,
  expiresAtMs: null,
};
const queued = (slot: number): SlotRow => ({
  scheduledFor: slot,
  trigger: "schedule",
  status: "queued",
  reason: null,
  collapsedUntilMs: null,
  collapsedCount: null,
});

let redis: RedisServer;
let ledgers: RedisLedger[];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => redis.stop());
beforeEach(async () => {
  // Three daemons' connections to one server.
  ledgers = [
    await RedisLedger.connect(redis.url),
    await RedisLedger.connect(redis.url),
    await RedisLedger.connect(redis.url),
  ];
  await ledgers[0]!.client.flushall();
});
afterEach(async () => {
  for (const ledger of ledgers) await ledger.close();
});

describe("the Redis ledger shared by three daemons", () => {
  it("accounts each slot once when three ticks race on the same cursor", async () => {
    const [a, b, c] = ledgers as [RedisLedger, RedisLedger, RedisLedger];
    const loop = await a.addLoop(spec, 10_000);
    let cursor = loop.cursorMs;
    for (let step = 0; step < 20; step += 1) {
      const to = cursor + 1000;
      const won = await Promise.all(
        [a, b, c].map((ledger) => ledger.materialise(loop.id, cursor, to, [queued(to)], to)),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      cursor = to;
    }
    const slots = (await c.listRuns({ loopId: loop.id, limit: 1000 })).map((r) => r.scheduledFor);
    expect(slots).toHaveLength(20);
    expect(new Set(slots).size).toBe(20);
  });

  it("lets exactly one daemon claim a queued run, and only the owner record its end", async () => {
    const [a, b, c] = ledgers as [RedisLedger, RedisLedger, RedisLedger];
    const loop = await a.addLoop(spec, 10_000);
    for (let round = 0; round < 20; round += 1) {
      const run = (await a.insertEventRun(loop.id, "manual", null, 20_000 + round * 10))!;
      const claims = await Promise.all(
        [a, b, c].map((ledger, index) =>
          ledger.claim(run.id, `dm_${index}`, "h", 99_000_000, 20_001 + round * 10),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const owner = `dm_${claims.indexOf(true)}`;
      const other = owner === "dm_0" ? "dm_1" : "dm_0";
      const end = { status: "succeeded" as const, reason: null, endedAtMs: 20_002 + round * 10 };
      expect(await b.finalize(run.id, other, end)).toBe(false);
      expect(await c.finalize(run.id, owner, end)).toBe(true);
      expect(await a.getRun(run.id)).toEqual(
        expect.objectContaining({ status: "succeeded", daemonId: owner, leaseUntilMs: null }),
      );
    }
    expect(await c.runningRuns()).toEqual([]);
  });

  it("keeps a loop's --via-gateway and the profile a run ran under, and why, as SQLite does", async () => {
    const [a, b] = ledgers as [RedisLedger, RedisLedger];
    const loop = await a.addLoop({ ...spec, adapter: "codex", viaGateway: true }, 10_000);
    expect((await b.findLoop(loop.id))?.viaGateway).toBe(true);
    const run = (await a.insertEventRun(loop.id, "manual", null, 20_000))!;
    expect(await a.claim(run.id, "dm_0", "h", 99_000_000, 20_001)).toBe(true);
    const end = {
      status: "succeeded" as const,
      reason: null,
      endedAtMs: 20_002,
      profile: "work",
      profileReason: "most headroom: 90% left",
    };
    expect(await a.finalize(run.id, "dm_0", end)).toBe(true);
    expect(await b.getRun(run.id)).toEqual(
      expect.objectContaining({ profile: "work", profileReason: "most headroom: 90% left" }),
    );
  });

  it("keeps the same webhook delivery to one run, and two events in one millisecond apart", async () => {
    const [a, b] = ledgers as [RedisLedger, RedisLedger];
    const loop = await a.addLoop(spec, 10_000);
    const first = await a.insertEventRun(loop.id, "webhook", "webhook:d1", 30_000);
    const again = await b.insertEventRun(loop.id, "webhook", "webhook:d1", 30_000);
    const other = await b.insertEventRun(loop.id, "manual", null, 30_000);
    expect(first?.scheduledFor).toBe(30_000);
    expect(again).toBeUndefined();
    expect(other?.scheduledFor).toBe(30_001);
  });

  it("interrupts another host's run whose lease expired, but never signals a pid on that host's behalf", async () => {
    const [a, b] = ledgers as [RedisLedger, RedisLedger];
    const loop = await a.addLoop(spec, 10_000);
    const run = (await a.insertEventRun(loop.id, "manual", null, 40_000))!;
    // A process here that shares the pid, pgid and start time the other host recorded.
    const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    const pid = child.pid!;
    try {
      expect(await a.claim(run.id, "dm_far", "far-host", 41_000, 40_000)).toBe(true);
      await a.recordProcess(run.id, "dm_far", {
        pid,
        pgid: pid,
        procStartTicks: processStartTicks(pid),
        bootId: bootId(),
        host: "far-host",
        logPath: "/dev/null",
        worktreePath: null,
        startedAtMs: 40_000,
      });
      const reaped = await reapOrphans(
        {
          ledger: b,
          daemonId: "dm_near",
          host: hostname(),
          bootId: bootId(),
          killGraceMs: 100,
          isTracked: () => false,
          log: () => undefined,
        },
        50_000,
      );
      expect(reaped).toBe(1);
      expect(await b.getRun(run.id)).toEqual(
        expect.objectContaining({ status: "interrupted", reason: "daemon died" }),
      );
      expect(groupAlive(pid)).toBe(true);
    } finally {
      await killGroup(pid, 100);
    }
  });
});
