import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { rateLimitedReply, startRedisServer, type RedisServer } from "@hedge/testkit";
import { openStore } from "../src/store/open-store.js";
import { startUsageHarness, statusOf, type UsageHarness } from "./usage-harness.js";

let harness: UsageHarness | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await redis?.stop();
  redis = undefined;
});

const health = async (url: string) =>
  (await (await fetch(`${url}/healthz`)).json()) as {
    status: string;
    store?: { kind: string; since: string; reason: string };
  };

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("a Store outage does not stop the gateway", () => {
  it("serves while redis-server is stopped, says degraded since when, and merges its state back on return", async () => {
    redis = await startRedisServer();
    const port = redis.port;
    const lines: string[] = [];
    const h = (harness = await startUsageHarness({
      profiles: ["a", "b"],
      store: redis.url,
      storeProbeMs: 100,
      log: (line) => lines.push(line),
    }));
    h.up.push({ text: "before" });
    expect(await statusOf(await h.ask())).toBe(200);
    expect(await health(h.url)).toEqual({ status: "ok" });

    await redis.stop();
    // Redis is gone: a 429 on a cools it down in memory, the same request goes to b, and b
    // keeps serving; nothing fails, and nothing is a 4xx.
    h.up.push(rateLimitedReply({ retryAfterSeconds: 600 }), { text: "b" }, { text: "b again" });
    const statuses = [await statusOf(await h.ask()), await statusOf(await h.ask())];
    expect(statuses).toEqual([200, 200]);
    expect(h.served()).toEqual(["a", "a", "b", "b"]);
    const degraded = await health(h.url);
    expect(degraded).toMatchObject({ status: "degraded", store: { kind: "redis" } });
    expect(Date.parse(degraded.store?.since ?? "")).toBeGreaterThan(0);
    expect(degraded.store?.reason).toContain("unreachable");
    expect(lines.join("\n")).toContain("store degraded (redis)");

    // Redis comes back empty on the same port: the cooldown of a is merged back into it.
    redis = await startRedisServer({ port });
    await until(async () => (await health(h.url)).status === "ok", "the store to come back");
    expect(lines.join("\n")).toMatch(/store back \(redis\) after \d+ s/);
    const other = await openStore(redis.url, { home: "/nonexistent" });
    try {
      const cooldowns = await other.list<{ until: number }>("cooldown:lab:profile:a");
      expect(cooldowns).toHaveLength(1);
    } finally {
      await other.close();
    }
    h.up.push({ text: "after" });
    expect(await statusOf(await h.ask())).toBe(200);
    expect(h.served().at(-1)).toBe("b");
  });

  it("serves while state.db is locked by another process, and writes its state once the lock is gone", async () => {
    const lines: string[] = [];
    const h = (harness = await startUsageHarness({
      profiles: ["a", "b"],
      store: "sqlite",
      storeProbeMs: 100,
      log: (line) => lines.push(line),
    }));
    h.up.push({ text: "before" });
    expect(await statusOf(await h.ask())).toBe(200);
    // Another process holds the write lock (as `sqlite3 state.db 'BEGIN EXCLUSIVE'` would).
    const holder = new Database(join(h.home, "state.db"));
    holder.exec("BEGIN EXCLUSIVE");
    try {
      h.up.push(rateLimitedReply({ retryAfterSeconds: 600 }), { text: "b" }, { text: "b again" });
      expect([await statusOf(await h.ask()), await statusOf(await h.ask())]).toEqual([200, 200]);
      expect(h.served()).toEqual(["a", "a", "b", "b"]);
      expect(await health(h.url)).toMatchObject({
        status: "degraded",
        store: { kind: "sqlite", reason: expect.stringContaining("locked") as string },
      });
    } finally {
      holder.exec("COMMIT");
    }
    await until(async () => (await health(h.url)).status === "ok", "the store to come back");
    const row = holder
      .prepare("SELECT count(*) AS n FROM kv WHERE key LIKE 'cooldown:lab:profile:a%'")
      .get() as { n: number };
    holder.close();
    expect(row.n).toBe(1);
    expect(lines.join("\n")).toMatch(/store back \(sqlite\)/);
  });
});
