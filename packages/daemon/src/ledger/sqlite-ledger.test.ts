import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteLedger } from "./sqlite-ledger.js";
import type { LoopSpec, SlotRow } from "./types.js";

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

describe("the SQLite ledger", () => {
  let dir: string;
  let ledger: SqliteLedger;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hedge-ledger-"));
    ledger = new SqliteLedger(join(dir, "loops.db"));
  });
  afterEach(() => {
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a slot has one row, whatever inserts it twice (UNIQUE loop_id, scheduled_for)", () => {
    const loop = ledger.addLoop(spec, 0);
    const db = new Database(join(dir, "loops.db"));
    const insert = (): unknown =>
      db
        .prepare(
          "INSERT INTO runs (id, loop_id, scheduled_for, trigger, status, queued_at_ms) VALUES (?, ?, 1000, 'schedule', 'queued', 0)",
        )
        .run(`run_x${Math.random().toString(36).slice(2, 12)}`, loop.id);
    insert();
    expect(insert).toThrow(/UNIQUE/);
    db.close();
  });

  it("moves the cursor only from where it was read: two ticks cannot both account a slot", () => {
    const loop = ledger.addLoop(spec, 0);
    expect(ledger.materialise(loop.id, 0, 2000, [queued(1000), queued(2000)], 2000)).toBe(true);
    // A second tick that read the old cursor inserts nothing.
    expect(ledger.materialise(loop.id, 0, 2000, [queued(1000), queued(2000)], 2000)).toBe(false);
    expect(
      ledger
        .listRuns({ loopId: loop.id })
        .map((run) => run.scheduledFor)
        .sort(),
    ).toEqual([1000, 2000]);
    expect(ledger.requireLoop("nightly").cursorMs).toBe(2000);
  });

  it("one claimant wins a queued run; only the owner's verdict on a running run counts", () => {
    const loop = ledger.addLoop(spec, 0);
    ledger.materialise(loop.id, 0, 1000, [queued(1000)], 1000);
    const [run] = ledger.queuedRuns();
    expect(ledger.claim(run!.id, "dm_a", "host", 5000, 1000)).toBe(true);
    expect(ledger.claim(run!.id, "dm_b", "host", 5000, 1000)).toBe(false);
    expect(
      ledger.finalize(run!.id, "dm_b", { status: "succeeded", reason: null, endedAtMs: 2000 }),
    ).toBe(false);
    expect(
      ledger.finalize(run!.id, null, {
        status: "interrupted",
        reason: "daemon died",
        endedAtMs: 2000,
      }),
    ).toBe(true);
    // The reaper got there first: the late exit does not overwrite it.
    expect(
      ledger.finalize(run!.id, "dm_a", { status: "succeeded", reason: null, endedAtMs: 3000 }),
    ).toBe(false);
    expect(ledger.getRun(run!.id)).toEqual(
      expect.objectContaining({ status: "interrupted", reason: "daemon died" }),
    );
  });

  it("the same commit or webhook delivery queues one run", () => {
    const loop = ledger.addLoop(spec, 0);
    expect(ledger.insertEventRun(loop.id, "commit", "commit:abc", 10)).toBeDefined();
    expect(ledger.insertEventRun(loop.id, "commit", "commit:abc", 20)).toBeUndefined();
    expect(ledger.insertEventRun(loop.id, "manual", null, 10)).toBeDefined();
    expect(ledger.insertEventRun(loop.id, "manual", null, 10)).toBeDefined();
    expect(ledger.listRuns({ loopId: loop.id })).toHaveLength(3);
  });

  it("resume moves the cursor to now: slots that fell while paused are not owed (#79754)", () => {
    const loop = ledger.addLoop(spec, 0);
    ledger.setState(loop.id, "paused", 1000);
    ledger.setState(loop.id, "active", 60_000);
    expect(ledger.requireLoop("nightly").cursorMs).toBe(60_000);
  });

  it("a removed loop's name can be used again; its runs stay", () => {
    const loop = ledger.addLoop(spec, 0);
    ledger.insertEventRun(loop.id, "manual", null, 5);
    ledger.setState(loop.id, "removed", 10);
    expect(() => ledger.requireLoop("nightly")).toThrow(/no loop named/);
    expect(ledger.addLoop(spec, 20).name).toBe("nightly");
    expect(ledger.listRuns({ loopId: loop.id })).toHaveLength(1);
    expect(() => ledger.addLoop(spec, 30)).toThrow(/already exists/);
  });

  it("a version 1 ledger gets the profile and --via-gateway columns, its rows kept", () => {
    const kept = ledger.addLoop(spec, 0);
    const run = ledger.insertEventRun(kept.id, "manual", null, 5);
    ledger.close();
    const db = new Database(join(dir, "loops.db"));
    for (const [table, column] of [
      ["loops", "via_gateway"],
      ["runs", "profile"],
      ["runs", "profile_reason"],
    ])
      db.exec(`ALTER TABLE ${table} DROP COLUMN ${column}`);
    db.pragma("user_version = 1");
    db.close();
    ledger = new SqliteLedger(join(dir, "loops.db"));
    expect(ledger.findLoop("nightly")?.viaGateway).toBe(false);
    const added = ledger.addLoop({ ...spec, name: "through", viaGateway: true }, 0);
    expect(ledger.findLoop("through")?.viaGateway).toBe(true);
    ledger.claim(run!.id, "d1", "h", 1_000_000, 10);
    ledger.finalize(run!.id, "d1", {
      status: "succeeded",
      reason: null,
      endedAtMs: 20,
      profile: "b",
      profileReason: "most headroom: 90% left (a 5%)",
    });
    expect(ledger.getRun(run!.id)).toMatchObject({
      profile: "b",
      profileReason: "most headroom: 90% left (a 5%)",
    });
    expect(added.id).toBeTruthy();
  });

  it("reading the queue and the running runs (every dispatch pass) does not scan every run ever recorded", () => {
    const db = new Database(join(dir, "loops.db"), { readonly: true });
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
        .map((row) => row.detail)
        .join("; ");
    try {
      for (const sql of [
        "SELECT * FROM runs WHERE status = 'queued' ORDER BY scheduled_for, id",
        "SELECT * FROM runs WHERE status = 'running'",
        "UPDATE runs SET heartbeat_at_ms = 1 WHERE daemon_id = 'd' AND status = 'running'",
      ]) {
        expect(plan(sql), sql).toMatch(/USING INDEX runs_(queued|running)/);
        expect(plan(sql), sql).not.toMatch(/TEMP B-TREE/);
      }
    } finally {
      db.close();
    }
  });
});
