import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { ledgerLoopsSource } from "./dashboard-loops.js";

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A home with a loops.db holding the columns the panel reads (schema v1 of @hedge/daemon). */
function ledgerHome(): { home: string; db: Database.Database } {
  const home = mkdtempSync(join(tmpdir(), "hedge-loops-"));
  homes.push(home);
  const db = new Database(join(home, "loops.db"));
  db.exec(`
    CREATE TABLE loops (id TEXT PRIMARY KEY, name TEXT, schedule_kind TEXT, cron TEXT,
      every_ms INTEGER, anchor_ms INTEGER, at_ms INTEGER, state TEXT);
    CREATE TABLE runs (id TEXT PRIMARY KEY, loop_id TEXT, status TEXT, queued_at_ms INTEGER,
      started_at_ms INTEGER, ended_at_ms INTEGER, diff_files INTEGER, diff_insertions INTEGER,
      diff_deletions INTEGER, log_path TEXT);
    CREATE TABLE daemons (id TEXT PRIMARY KEY, heartbeat_at_ms INTEGER, stopped_at_ms INTEGER);
  `);
  return { home, db };
}

describe("the Loops panel's ledger reader", () => {
  it("says no ledger when there is none", async () => {
    const home = mkdtempSync(join(tmpdir(), "hedge-loops-"));
    homes.push(home);
    expect(await ledgerLoopsSource(home, () => NOW).read()).toBeUndefined();
  });

  it("lists loops with their next run and last result; a stale daemon is not running", async () => {
    const { home, db } = ledgerHome();
    db.prepare("INSERT INTO loops VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
      "l1",
      "nightly",
      "cron",
      "0 3 * * *",
      null,
      null,
      null,
      "active",
    );
    db.prepare("INSERT INTO loops VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
      "l2",
      "tests",
      "every",
      null,
      300_000,
      NOW - 1_000_000,
      null,
      "active",
    );
    db.prepare("INSERT INTO loops VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
      "l3",
      "gone",
      "every",
      null,
      60_000,
      0,
      null,
      "removed",
    );
    db.prepare("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
      "run_old",
      "l2",
      "failed",
      NOW - 900_000,
      NOW - 900_000,
      NOW - 890_000,
      null,
      null,
      null,
      null,
    );
    db.prepare("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
      "run_new",
      "l2",
      "succeeded",
      NOW - 600_000,
      NOW - 600_000,
      NOW - 540_000,
      3,
      10,
      2,
      null,
    );
    db.prepare("INSERT INTO daemons VALUES (?, ?, ?)").run("d1", NOW - 5_000, null);
    const source = ledgerLoopsSource(home, () => NOW);
    expect(await source.read()).toEqual({
      running: true,
      loops: [
        { name: "nightly", schedule: "cron 0 3 * * *", state: "active" },
        {
          name: "tests",
          schedule: "every 5m",
          state: "active",
          nextRunAt: NOW - 1_000_000 + 4 * 300_000,
          last: {
            runId: "run_new",
            status: "succeeded",
            startedAt: NOW - 600_000,
            durationMs: 60_000,
            diffStat: "3 files +10 -2",
          },
        },
      ],
    });
    db.prepare("UPDATE daemons SET heartbeat_at_ms = ?").run(NOW - 120_000);
    expect((await source.read())?.running).toBe(false);
    db.close();
  });

  it("tails a run's log only from inside $HEDGE_HOME/logs/loops, whatever the ledger says", async () => {
    const { home, db } = ledgerHome();
    mkdirSync(join(home, "logs", "loops"), { recursive: true });
    const inside = join(home, "logs", "loops", "run_a.log");
    writeFileSync(inside, `${"x".repeat(100)}the end\n`);
    const outside = join(home, "gateway-keys.json");
    writeFileSync(outside, '{"secret":"hk-abc"}');
    const insert = db.prepare(
      "INSERT INTO runs (id, loop_id, status, queued_at_ms, log_path) VALUES (?, 'l', 'succeeded', 0, ?)",
    );
    insert.run("run_a", inside);
    insert.run("run_b", outside);
    insert.run("run_c", join(home, "logs", "loops", "..", "..", "gateway-keys.json"));
    const source = ledgerLoopsSource(home, () => NOW);
    expect(await source.logTail("run_a", 8)).toBe("the end\n");
    expect(await source.logTail("run_b", 1000)).toBeUndefined();
    expect(await source.logTail("run_c", 1000)).toBeUndefined();
    expect(await source.logTail("../run_a", 1000)).toBeUndefined();
    expect(await source.logTail("run_missing", 1000)).toBeUndefined();
    db.close();
  });
});
