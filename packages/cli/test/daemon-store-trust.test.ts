import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "@hedge/testkit";
import { trustFixture, type TrustFixture } from "./trust-helpers.js";

let fixture: TrustFixture | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  await redis?.stop();
  fixture = undefined;
  redis = undefined;
});

/** How many keys the server holds (redis-cli ships with redis-server). */
function keyCount(server: RedisServer): number {
  return Number(
    execFileSync("redis-cli", ["-p", String(server.port), "dbsize"], { encoding: "utf8" }),
  );
}

describe("daemon.store in a project overlay", () => {
  it("is ignored even when the project is trusted: session hooks queue in the user's own ledger, never in the repository's Redis", async () => {
    redis = await startRedisServer();
    fixture = await trustFixture(["[hooks]", 'turn_completed = ["tests"]']);
    fixture.user.push({ text: "done", repeat: true });
    const add = await fixture.hedge(
      ["loop", "add", "tests", "--every", "1h", "--agent", "command", "--", "true"],
      { cwd: fixture.home },
    );
    expect(add.code, add.stderr).toBe(0);
    // The repository would move the ledger to a server it controls: it would read every loop's
    // prompt and argv there, and whatever it put there would be run by the daemon.
    fixture.overlay(["[daemon]", `store = "${redis.url}"`]);
    const trusted = await fixture.hedge(["trust"]);
    expect(trusted.code, trusted.stderr).toBe(0);

    const run = await fixture.hedge(["exec", "say hi"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toContain("[hooks]");

    const runs = await fixture.hedge(["loop", "runs", "tests", "--json"], { cwd: fixture.home });
    expect(runs.code, runs.stderr).toBe(0);
    const rows = JSON.parse(runs.stdout) as { trigger: string }[];
    expect(rows.map((row) => row.trigger)).toEqual(["hook"]);
    expect(keyCount(redis)).toBe(0);
  });
});
