import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryStore } from "../src/store/memory-store.js";
import { openStore } from "../src/store/open-store.js";
import { RedisStore } from "../src/store/redis-store.js";
import { SQLITE_SCHEMA_VERSION, SqliteStore } from "../src/store/sqlite-store.js";
import { storeContract } from "./store-contract.js";
import { freePort, startRedisServer, type RedisServer } from "@hedge/testkit";

let redis: RedisServer | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis?.stop();
});

function redisUrl(): string {
  if (redis === undefined) throw new Error("redis-server did not start (see beforeAll)");
  return redis.url;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "hedge-store-"));
}

storeContract("memory", {
  ttlClock: "injected",
  create() {
    const root = new MemoryStore();
    return Promise.resolve({ open: (options) => Promise.resolve(root.share(options)) });
  },
});

storeContract("sqlite", {
  ttlClock: "injected",
  create() {
    const directory = tempDir();
    const path = join(directory, "state.db");
    return Promise.resolve({
      open: (options) => SqliteStore.open(path, options),
      dispose: () => Promise.resolve(rmSync(directory, { recursive: true, force: true })),
    });
  },
});

storeContract("redis", {
  ttlClock: "server",
  create() {
    const prefix = `test:${randomUUID()}:`;
    return Promise.resolve({
      open: (options) => RedisStore.connect(redisUrl(), { ...options, prefix }),
    });
  },
});

describe("openStore", () => {
  it("opens $HEDGE_HOME/state.db by default: directory 0700, file 0600, current schema", async () => {
    const root = tempDir();
    const home = join(root, "fresh", "home");
    try {
      const store = await openStore("sqlite", { home });
      expect(store.kind).toBe("sqlite");
      await store.set("k", 1);
      await store.close();
      const path = join(home, "state.db");
      expect(statSync(home).mode & 0o777).toBe(0o700);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const db = new Database(path, { readonly: true });
      expect(db.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      db.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("opens memory and redis stores by spec", async () => {
    const memory = await openStore("memory", { home: "/nonexistent" });
    expect(memory.kind).toBe("memory");
    await memory.close();

    const store = await openStore(redisUrl(), { home: "/nonexistent" });
    expect(store.kind).toBe("redis");
    await store.set("open-store-check", { ok: true }, 60_000);
    // Default prefix `hedge:`; values are JSON strings with a PX TTL.
    const raw = new Redis(redisUrl());
    try {
      expect(await raw.get("hedge:kv:open-store-check")).toBe('{"ok":true}');
      expect(await raw.pttl("hedge:kv:open-store-check")).toBeGreaterThan(0);
    } finally {
      raw.disconnect();
      await store.delete("open-store-check");
      await store.close();
    }
  });

  it("names an unknown store spec without echoing a password", async () => {
    const error: unknown = await openStore("postgres://user:hunter2@db/x", {
      home: "/nonexistent",
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "store_invalid" });
    expect(String((error as Error).message)).not.toContain("hunter2");
  });

  it("fails fast on an unreachable Redis, naming the URL without its password", async () => {
    const port = await freePort(); // nothing listens on it
    const error: unknown = await openStore(`redis://:hunter2@127.0.0.1:${port}`, {
      home: "/x",
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "store_unreachable" });
    const message = (error as Error).message;
    expect(message).toContain(`redis://:***@127.0.0.1:${port}`);
    expect(message).not.toContain("hunter2");
    expect(message).not.toContain("\n");
    expect((error as { hint?: string }).hint).toContain("redis-cli");
  });
});

describe("RedisStore connection loss", () => {
  it("fails each call at once with store_unreachable when Redis goes away, and never hangs", async () => {
    const own = await startRedisServer();
    const store = await RedisStore.connect(own.url, { prefix: "loss:" });
    try {
      await store.set("k", 1);
      await own.stop();
      await expect(store.get("k")).rejects.toMatchObject({
        code: "store_unreachable",
        message: expect.stringContaining(own.url) as unknown,
      });
      await expect(store.update("k", () => 2)).rejects.toMatchObject({ code: "store_unreachable" });
    } finally {
      await store.close();
      await own.stop();
    }
  });
});

describe("SqliteStore errors", () => {
  it("refuses a file written by a newer schema", async () => {
    const directory = tempDir();
    const path = join(directory, "state.db");
    try {
      const db = new Database(path);
      db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
      db.close();
      await expect(SqliteStore.open(path)).rejects.toMatchObject({
        code: "store_schema_newer",
        message: expect.stringContaining(path) as unknown,
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("migrates a schema-1 file: its audit entries stay listed, newest first", async () => {
    const directory = tempDir();
    const path = join(directory, "state.db");
    try {
      const db = new Database(path);
      db.exec(`
        CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER);
        CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, json TEXT NOT NULL);
        CREATE INDEX audit_at ON audit (at, id);
      `);
      const now = Date.now();
      const insert = db.prepare("INSERT INTO audit (at, json) VALUES (?, ?)");
      for (const [at, requestId] of [
        [now - 3000, "old"],
        [now - 1000, "newest"],
        [now - 2000, "middle"],
      ] as const) {
        const entry = { at, requestId, model: "m", attempts: [], excluded: [], outcome: "ok" };
        insert.run(at, JSON.stringify(entry));
      }
      db.prepare("INSERT INTO kv (key, value) VALUES ('kept', '1')").run();
      db.pragma("user_version = 1");
      db.close();
      const store = await SqliteStore.open(path);
      expect((await store.listAudit()).map((entry) => entry.requestId)).toEqual([
        "newest",
        "middle",
        "old",
      ]);
      expect(await store.get("kept")).toBe(1);
      await store.appendAudit({
        at: now,
        requestId: "after",
        model: "m",
        attempts: [],
        excluded: [],
        outcome: "ok",
      });
      expect((await store.listAudit({ limit: 2 })).map((entry) => entry.requestId)).toEqual([
        "after",
        "newest",
      ]);
      await store.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("reports a file locked by another writer, naming it", async () => {
    const directory = tempDir();
    const path = join(directory, "state.db");
    const store = await SqliteStore.open(path, { busyTimeoutMs: 50 });
    const holder = new Database(path);
    try {
      holder.exec("BEGIN IMMEDIATE");
      await expect(store.set("k", 1)).rejects.toMatchObject({
        code: "store_locked",
        message: expect.stringContaining(path) as unknown,
      });
      holder.exec("ROLLBACK");
      await store.set("k", 1);
      expect(await store.get("k")).toBe(1);
    } finally {
      holder.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("reports a home that cannot hold the file", async () => {
    const directory = tempDir();
    try {
      // A regular file where the directory should be: unwritable even for root.
      const blocker = join(directory, "home");
      writeFileSync(blocker, "not a directory");
      await expect(openStore("sqlite", { home: blocker })).rejects.toMatchObject({
        code: "store_unwritable",
        message: expect.stringContaining(join(blocker, "state.db")) as unknown,
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
