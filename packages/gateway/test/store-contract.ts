import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry, Store, StoreOptions } from "../src/store/store.js";

/** One empty backend for one test; `open` may be called repeatedly for several handles on it. */
export interface StoreHarness {
  /** A new handle on the same backend: same memory, same SQLite file, same Redis prefix. */
  open(options: StoreOptions): Promise<Store>;
  dispose?(): Promise<void>;
}

export interface StoreFactory {
  /**
   * `injected`: TTLs follow `StoreOptions.now` (memory, SQLite), so expiry tests move the clock.
   * `server`: TTLs run on the server's clock (Redis PX), so expiry tests wait for a short real TTL
   * by polling with a deadline, never by asserting on elapsed time.
   */
  ttlClock: "injected" | "server";
  create(): Promise<StoreHarness>;
}

const START = 1_700_000_000_000;
/** Set with the TTL being waited out; gone means everything set before it with that TTL is gone. */
const SENTINEL = "~sentinel";

/** The behaviour every Store backend must share. */
export function storeContract(name: string, factory: StoreFactory): void {
  const injected = factory.ttlClock === "injected";
  const shortTtl = injected ? 1000 : 50;
  const longTtl = 3_600_000;

  describe(`Store contract: ${name}`, () => {
    let clock = START;
    let harness: StoreHarness;
    let opened: Store[] = [];

    beforeEach(async () => {
      clock = START;
      opened = [];
      harness = await factory.create();
    });

    afterEach(async () => {
      await Promise.all(opened.map((store) => store.close()));
      await harness.dispose?.();
    });

    async function open(options: StoreOptions = {}): Promise<Store> {
      const store = await harness.open({ now: () => clock, ...options });
      opened.push(store);
      return store;
    }

    /** Lets `ms` of TTL time pass: the injected clock moves, or Redis really expires a sentinel. */
    async function elapse(store: Store, ms: number): Promise<void> {
      if (injected) {
        clock += ms;
        return;
      }
      await store.set(SENTINEL, true, ms);
      await pollUntil(async () => (await store.get(SENTINEL)) === undefined, "the TTL to pass");
    }

    describe("keys and values", () => {
      it("reads what was set, overwrites it and deletes it", async () => {
        const store = await open();
        expect(store.kind).toBe(name);
        expect(await store.get("k")).toBeUndefined();
        await store.set("k", { a: 1 });
        expect(await store.get("k")).toEqual({ a: 1 });
        await store.set("k", "second");
        expect(await store.get("k")).toBe("second");
        await store.delete("k");
        expect(await store.get("k")).toBeUndefined();
        await store.delete("never-set");
      });

      it("round-trips JSON values and hands out copies", async () => {
        const store = await open();
        const values: Record<string, unknown> = {
          object: { nested: { list: [1, "two", null, true, { deep: [] }] }, empty: {} },
          unicode: 'héllo ✓ 🚀 \u0000 "quoted" \\ newline\n',
          number: -1.5e-7,
          large: 9_007_199_254_740_991,
          zero: 0,
          falsy: false,
          empty: "",
          list: [],
          null: null,
        };
        for (const [key, value] of Object.entries(values)) await store.set(key, value);
        for (const [key, value] of Object.entries(values))
          expect(await store.get(key)).toEqual(value);
        // null is a value, not an absence.
        expect(await store.get("null")).toBeNull();

        const mutable = { count: 1, when: new Date(START) };
        await store.set("mutable", mutable);
        mutable.count = 2;
        const read = await store.get<{ count: number; when: string }>("mutable");
        expect(read).toEqual({ count: 1, when: new Date(START).toISOString() });
        if (read !== undefined) read.count = 3;
        expect(await store.get("mutable")).toMatchObject({ count: 1 });
      });

      it("treats setting undefined as a delete", async () => {
        const store = await open();
        await store.set("k", 1);
        await store.set("k", undefined);
        expect(await store.get("k")).toBeUndefined();
      });

      it("reads many keys at once, leaving out missing and expired ones", async () => {
        const store = await open();
        await store.set("a", 1);
        await store.set("b", { two: 2 });
        await store.set("short", 3, shortTtl);
        expect(await store.getMany([])).toEqual(new Map());
        expect(await store.getMany(["a", "b", "short", "missing"])).toEqual(
          new Map<string, unknown>([
            ["a", 1],
            ["b", { two: 2 }],
            ["short", 3],
          ]),
        );
        await elapse(store, shortTtl);
        expect(await store.getMany(["a", "short", "missing", "a"])).toEqual(new Map([["a", 1]]));
      });

      it("expires a value after its TTL; longer TTLs and no TTL stay; a plain set clears a TTL", async () => {
        const store = await open();
        await store.set("short", "gone soon", shortTtl);
        await store.set("long", "stays", longTtl);
        await store.set("forever", "stays");
        await store.set("renewed", "first", shortTtl);
        await store.set("renewed", "second");
        expect(await store.get("short")).toBe("gone soon");
        await elapse(store, shortTtl);
        expect(await store.get("short")).toBeUndefined();
        expect(await store.get("long")).toBe("stays");
        expect(await store.get("forever")).toBe("stays");
        expect(await store.get("renewed")).toBe("second");
      });

      if (injected) {
        it("expires exactly when the TTL has passed on the injected clock", async () => {
          const store = await open();
          await store.set("k", 1, 1000);
          clock += 999;
          expect(await store.get("k")).toBe(1);
          clock += 1;
          expect(await store.get("k")).toBeUndefined();
          expect(await store.list("")).toEqual([]);
        });
      }

      it("rejects a TTL that is not a positive number", async () => {
        const store = await open();
        await expect(store.set("k", 1, 0)).rejects.toThrow(RangeError);
        await expect(store.set("k", 1, Number.NaN)).rejects.toThrow(RangeError);
        expect(await store.get("k")).toBeUndefined();
      });
    });

    describe("update", () => {
      it("creates, modifies and deletes (when the change returns undefined)", async () => {
        const store = await open();
        const seen: unknown[] = [];
        const created = await store.update<{ n: number }>("doc", (current) => {
          seen.push(current);
          return { n: 1 };
        });
        expect(created).toEqual({ n: 1 });
        const modified = await store.update<{ n: number }>("doc", (current) => {
          seen.push(current);
          return { n: (current?.n ?? 0) + 1 };
        });
        expect(modified).toEqual({ n: 2 });
        expect(seen).toEqual([undefined, { n: 1 }]);
        expect(await store.get("doc")).toEqual({ n: 2 });

        expect(await store.update("doc", () => undefined)).toBeUndefined();
        expect(await store.get("doc")).toBeUndefined();
        expect(await store.update("absent", () => undefined)).toBeUndefined();
        expect(await store.get("absent")).toBeUndefined();
      });

      it("applies a TTL when given and keeps the existing expiry when not", async () => {
        const store = await open();
        await store.update("with-ttl", () => "v", shortTtl);
        await store.set("had-ttl", 1, shortTtl);
        await store.update<number>("had-ttl", (current) => (current ?? 0) + 1);
        expect(await store.get("had-ttl")).toBe(2);
        await store.set("no-ttl", 1);
        await store.update<number>("no-ttl", (current) => (current ?? 0) + 1);
        await elapse(store, shortTtl);
        expect(await store.get("with-ttl")).toBeUndefined();
        expect(await store.get("had-ttl")).toBeUndefined();
        expect(await store.get("no-ttl")).toBe(2);
      });

      it("sees an expired value as absent", async () => {
        const store = await open();
        await store.set("k", "old", shortTtl);
        await elapse(store, shortTtl);
        let seen: unknown = "not called";
        await store.update("k", (current) => {
          seen = current;
          return "new";
        });
        expect(seen).toBeUndefined();
        expect(await store.get("k")).toBe("new");
      });

      it("leaves the value alone when the change throws", async () => {
        const store = await open();
        await store.set("k", { n: 1 });
        await expect(
          store.update("k", () => {
            throw new Error("change failed");
          }),
        ).rejects.toThrow("change failed");
        expect(await store.get("k")).toEqual({ n: 1 });
      });

      it("loses no update when 20 run at once from two instances", async () => {
        const first = await open();
        const second = await open();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            (index % 2 === 0 ? first : second).update<{ count: number }>("counter", (current) => ({
              count: (current?.count ?? 0) + 1,
            })),
          ),
        );
        expect(await first.get("counter")).toEqual({ count: 20 });
        // Each update saw the previous one: the returned counts are exactly 1..20.
        const counts = results.map((result) => result?.count ?? 0).sort((a, b) => a - b);
        expect(counts).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
      });
    });

    describe("increment", () => {
      it("starts at `by` and adds, with integers and fractions", async () => {
        const store = await open();
        expect(await store.increment("ints", 2)).toBe(2);
        expect(await store.increment("ints", 3)).toBe(5);
        expect(await store.increment("ints", -7)).toBe(-2);
        expect(await store.get("ints")).toBe(-2);
        expect(await store.increment("fractions", 0.5)).toBe(0.5);
        expect(await store.increment("fractions", 0.25)).toBe(0.75);
        await store.set("preset", 10);
        expect(await store.increment("preset", 1)).toBe(11);
      });

      it("applies the TTL on creation and restarts after expiry", async () => {
        const store = await open();
        expect(await store.increment("window", 1, shortTtl)).toBe(1);
        expect(await store.increment("window", 1, shortTtl)).toBe(2);
        await elapse(store, shortTtl);
        expect(await store.get("window")).toBeUndefined();
        expect(await store.increment("window", 5, longTtl)).toBe(5);
      });

      if (injected) {
        it("does not extend the TTL on later increments", async () => {
          const store = await open();
          await store.increment("window", 1, 1000);
          clock += 600;
          await store.increment("window", 1, 1000);
          clock += 399;
          expect(await store.get("window")).toBe(2);
          clock += 1;
          expect(await store.get("window")).toBeUndefined();
        });
      }

      it("loses no increment when two instances add at once", async () => {
        const first = await open();
        const second = await open();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            (index % 2 === 0 ? first : second).increment("hits", 1),
          ),
        );
        expect(await second.get("hits")).toBe(50);
        expect([...results].sort((a, b) => a - b)).toEqual(
          Array.from({ length: 50 }, (_, index) => index + 1),
        );
      });

      it("refuses to increment a value that is not a number, leaving it as it was", async () => {
        const store = await open();
        await store.set("object", { n: 1 });
        await store.set("string", "5");
        await expect(store.increment("object", 1)).rejects.toMatchObject({
          code: "store_not_a_number",
        });
        await expect(store.increment("string", 1)).rejects.toMatchObject({
          code: "store_not_a_number",
        });
        expect(await store.get("object")).toEqual({ n: 1 });
        expect(await store.get("string")).toBe("5");
      });
    });

    describe("list", () => {
      it("lists live entries by literal prefix, sorted by key", async () => {
        const store = await open();
        await store.set("svc:b", 2);
        await store.set("svc:a", { one: 1 });
        await store.set("svc:expiring", 3, shortTtl);
        await store.set("svc2:x", "other service");
        await store.set("sv", "shorter than the prefix");
        await store.set("gl*b[1]?:x", "x");
        await store.set("gl*b[1]?:y", "y");
        await store.set("glXb1Z:x", "a glob would match this");
        expect((await store.list("svc:")).map((entry) => entry.key)).toEqual([
          "svc:a",
          "svc:b",
          "svc:expiring",
        ]);
        await elapse(store, shortTtl);
        expect(await store.list("svc:")).toEqual([
          { key: "svc:a", value: { one: 1 } },
          { key: "svc:b", value: 2 },
        ]);
        expect(await store.list("gl*b[1]?:")).toEqual([
          { key: "gl*b[1]?:x", value: "x" },
          { key: "gl*b[1]?:y", value: "y" },
        ]);
        expect(await store.list("nothing:")).toEqual([]);
        expect((await store.list("")).length).toBe(7);
      });
    });

    describe("audit", () => {
      const entry = (at: number, requestId: string): AuditEntry => ({
        at,
        requestId,
        model: "anthropic/claude-haiku-4-5",
        attempts: [
          { route: "anthropic/work", outcome: "rate_limited", status: 429, latencyMs: 12 },
          { route: "anthropic/home", outcome: "ok" },
        ],
        excluded: [{ route: "openai/work", reason: "policy: class hosted not allowed" }],
        outcome: "ok",
      });

      it("lists newest first, filtered by since and limit, entries intact", async () => {
        const store = await open();
        await store.appendAudit(entry(clock - 3000, "r1"));
        await store.appendAudit(entry(clock - 1000, "r3"));
        await store.appendAudit(entry(clock - 2000, "r2"));
        await store.appendAudit(entry(clock - 1000, "r4"));
        const ids = (entries: AuditEntry[]) => entries.map((item) => item.requestId);
        // Equal times keep append order: the later append is newer.
        expect(ids(await store.listAudit())).toEqual(["r4", "r3", "r2", "r1"]);
        expect(ids(await store.listAudit({ limit: 2 }))).toEqual(["r4", "r3"]);
        expect(ids(await store.listAudit({ since: clock - 2000 }))).toEqual(["r4", "r3", "r2"]);
        expect(ids(await store.listAudit({ since: clock - 2000, limit: 1 }))).toEqual(["r4"]);
        expect(await store.listAudit({ limit: 0 })).toEqual([]);
        expect(await store.listAudit({ since: clock })).toEqual([]);
        expect((await store.listAudit({ limit: 1 }))[0]).toEqual(entry(clock - 1000, "r4"));
      });

      it("lists entries appended in batches (as the gateway writes them) across batches", async () => {
        const store = await open();
        // Times interleave across batches: listing orders by time, then append order.
        await store.appendAudit([entry(clock - 5000, "a1"), entry(clock - 1000, "a2")]);
        await store.appendAudit([entry(clock - 4000, "b1"), entry(clock - 2000, "b2")]);
        await store.appendAudit([entry(clock - 3000, "c1"), entry(clock - 1000, "c2")]);
        const ids = (entries: AuditEntry[]) => entries.map((item) => item.requestId);
        expect(ids(await store.listAudit())).toEqual(["c2", "a2", "b2", "c1", "b1", "a1"]);
        expect(ids(await store.listAudit({ limit: 3 }))).toEqual(["c2", "a2", "b2"]);
        expect(ids(await store.listAudit({ since: clock - 3000, limit: 4 }))).toEqual([
          "c2",
          "a2",
          "b2",
          "c1",
        ]);
      });

      it("keeps at most auditMaxEntries across batches, dropping the oldest", async () => {
        const store = await open({ auditMaxEntries: 5 });
        const batch = (from: number, count: number) =>
          Array.from({ length: count }, (_, index) =>
            entry(clock + from + index, `r${from + index}`),
          );
        await store.appendAudit(batch(0, 3));
        await store.appendAudit(batch(3, 3));
        await store.appendAudit(batch(6, 2));
        const ids = (await store.listAudit()).map((item) => item.requestId);
        expect(ids).toEqual(["r7", "r6", "r5", "r4", "r3"]);
        expect((await store.listAudit({ limit: 2 })).map((item) => item.requestId)).toEqual([
          "r7",
          "r6",
        ]);
      });

      it("keeps at most auditMaxEntries, dropping the oldest", async () => {
        const store = await open({ auditMaxEntries: 3 });
        for (let index = 1; index <= 5; index++)
          await store.appendAudit(entry(clock + index, `r${index}`));
        expect((await store.listAudit()).map((item) => item.requestId)).toEqual(["r5", "r4", "r3"]);
        // Pruned, not merely hidden: a handle with the default maximum sees the same three.
        const other = await open();
        expect(await other.listAudit()).toHaveLength(3);
      });

      it("drops entries older than the retention", async () => {
        const store = await open({ auditRetentionMs: 10_000 });
        await store.appendAudit(entry(clock - 20_000, "too-old"));
        await store.appendAudit(entry(clock - 5_000, "recent"));
        expect((await store.listAudit()).map((item) => item.requestId)).toEqual(["recent"]);
        clock += 6_000;
        expect(await store.listAudit()).toEqual([]);
        await store.appendAudit(entry(clock, "new"));
        expect((await store.listAudit()).map((item) => item.requestId)).toEqual(["new"]);
        // Pruned, not merely hidden: a handle with the default retention sees only the new one.
        const other = await open();
        expect((await other.listAudit()).map((item) => item.requestId)).toEqual(["new"]);
      });
    });

    describe("lifecycle", () => {
      it("refuses work after close, and closing twice is fine", async () => {
        const store = await open();
        await store.set("k", 1);
        await store.close();
        await store.close();
        await expect(store.get("k")).rejects.toMatchObject({ code: "store_closed" });
        await expect(store.set("k", 2)).rejects.toMatchObject({ code: "store_closed" });
        const other = await open();
        expect(await other.get("k")).toBe(1);
      });
    });
  });
}

/** Polls `condition` every 10 ms until it holds; fails after `timeoutMs` (a deadline, not a claim). */
export async function pollUntil(
  condition: () => Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
