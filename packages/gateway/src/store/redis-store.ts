import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { HedgeError } from "@hedge/model-spec";
import type { AuditEntry, AuditQuery, Store, StoreOptions } from "./store.js";
import {
  APPEND_AUDIT,
  AUDIT_SEQ_WIDTH,
  COMPARE_AND_SET,
  INCREMENT,
  type LuaScript,
} from "./redis-scripts.js";
import {
  applyChange,
  auditCutoff,
  auditLowerBound,
  checkAuditLimit,
  checkIncrement,
  checkTtl,
  compareByKey,
  auditBatch,
  deserialize,
  notANumberError,
  oneLineMessage,
  redactUrl,
  resolveStoreOptions,
  serialize,
  serializeAudit,
  storeClosedError,
  type ResolvedStoreOptions,
} from "./store-support.js";

export interface RedisStoreOptions extends StoreOptions {
  /** Every key this store writes starts with it (default `hedge:`), so replicas of one fleet share it. */
  prefix?: string;
  /** Give up connecting after this long (default 2000). */
  connectTimeoutMs?: number;
  /** A command without a reply after this long fails (default 5000). */
  commandTimeoutMs?: number;
}

/** An update that loses the compare-and-set this many times in a row fails (store_contention). */
const MAX_UPDATE_ATTEMPTS = 50;
const SCAN_COUNT = 500;
const MGET_CHUNK = 500;

/**
 * The Store in Redis, for several gateway replicas sharing one state. Values are JSON strings
 * under `<prefix>kv:<key>`; TTLs are Redis PX expiries and so run on the server's clock (the
 * injected `now` only drives audit retention). `update` is optimistic: read, compute, then a Lua
 * compare-and-set that retries with jittered backoff when another writer got there first;
 * updates of one key from one store instance are queued so they do not fight each other.
 *
 * Connection problems fail fast (no offline queue, short timeouts) with a HedgeError naming the
 * URL without its password. ioredis is loaded by `connect`, not when this module is imported.
 */
export class RedisStore implements Store {
  readonly kind = "redis";
  /** The URL with any password replaced by `***`. */
  readonly url: string;
  readonly prefix: string;
  private readonly client: Redis;
  private readonly options: ResolvedStoreOptions;
  private readonly updateQueues = new Map<string, Promise<unknown>>();
  private lastError: Error | undefined;
  private closed = false;

  private constructor(client: Redis, url: string, prefix: string, options: StoreOptions) {
    this.client = client;
    this.url = url;
    this.prefix = prefix;
    this.options = resolveStoreOptions(options);
  }

  /** Connects to `url` (`redis://[:password@]host:port[/db]` or `rediss://...`). */
  static async connect(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
    const shown = redactUrl(url);
    try {
      new URL(url);
    } catch {
      throw new HedgeError("store_invalid", `Not a Redis URL: ${shown}.`, {
        hint: 'Write it as store = "redis://[:password@]host:port[/db]".',
      });
    }
    const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
    // Through `default` (`module.exports`): ioredis is CommonJS, and bundled into the hedge
    // binary its module has no named exports, only the default, under Node and bundlers alike.
    const { Redis } = (await import("ioredis")).default;
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs ?? 5000,
      maxRetriesPerRequest: 1,
      // Fail a command at once while disconnected instead of queueing it without bound.
      enableOfflineQueue: false,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
    });
    const store = new RedisStore(client, shown, options.prefix ?? "hedge:", options);
    // Without a listener ioredis prints every reconnect failure; keep the last one for messages.
    client.on("error", (error: Error) => {
      store.lastError = error;
    });
    client.on("ready", () => {
      store.lastError = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${connectTimeoutMs} ms`)),
          connectTimeoutMs + 500,
        );
      });
      await Promise.race([client.connect(), deadline]);
    } catch (error) {
      client.disconnect();
      throw store.describe(store.lastError ?? error);
    } finally {
      clearTimeout(timer);
    }
    return store;
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.run(async () => {
      const text = await this.client.get(this.kvKey(key));
      return text === null ? undefined : deserialize<T>(text);
    });
  }

  getMany<T>(keys: readonly string[]): Promise<Map<string, T>> {
    return this.run(async () => {
      const found = new Map<string, T>();
      for (let start = 0; start < keys.length; start += MGET_CHUNK) {
        const chunk = keys.slice(start, start + MGET_CHUNK);
        const texts = await this.client.mget(chunk.map((key) => this.kvKey(key)));
        chunk.forEach((key, index) => {
          const text = texts[index];
          if (text !== null && text !== undefined) found.set(key, deserialize<T>(text));
        });
      }
      return found;
    });
  }

  set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    return this.run(async () => {
      const ttl = checkTtl(ttlMs);
      const text = serialize(value);
      const redisKey = this.kvKey(key);
      if (text === undefined) await this.client.del(redisKey);
      else if (ttl === undefined) await this.client.set(redisKey, text);
      else await this.client.set(redisKey, text, "PX", ttl);
    });
  }

  delete(key: string): Promise<void> {
    return this.run(async () => {
      await this.client.del(this.kvKey(key));
    });
  }

  update<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined> {
    return this.run(() => {
      const ttl = checkTtl(ttlMs);
      return this.queued(key, () => this.compareAndSetLoop(key, change, ttl));
    });
  }

  increment(key: string, by: number, ttlMs?: number): Promise<number> {
    return this.run(async () => {
      checkIncrement(by);
      const ttl = checkTtl(ttlMs);
      try {
        const value = await this.script(INCREMENT, [this.kvKey(key)], [String(by), ttlArg(ttl)]);
        return Number(value);
      } catch (error) {
        if (error instanceof Error && /not a valid float/i.test(error.message)) {
          throw notANumberError(key);
        }
        throw error;
      }
    });
  }

  list<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    return this.run(async () => {
      const pattern = `${escapeGlob(this.kvKey(prefix))}*`;
      const redisKeys = new Set<string>();
      let cursor = "0";
      do {
        const [next, batch] = await this.client.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
        for (const redisKey of batch) redisKeys.add(redisKey);
        cursor = next;
      } while (cursor !== "0");
      const keyStart = this.kvKey("").length;
      const values = await this.getMany<T>(
        [...redisKeys].map((redisKey) => redisKey.slice(keyStart)),
      );
      return [...values].map(([key, value]) => ({ key, value })).sort(compareByKey);
    });
  }

  appendAudit(entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
    const batch = auditBatch(entries);
    return this.run(async () => {
      // Issued in one tick, so the client sends them as one pipeline.
      await Promise.all(
        batch.map((entry) =>
          this.script(
            APPEND_AUDIT,
            [this.auditKey(), `${this.auditKey()}:seq`],
            [
              String(entry.at),
              serializeAudit(entry),
              String(auditCutoff(this.options)),
              String(this.options.auditMaxEntries),
            ],
          ),
        ),
      );
    });
  }

  listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return this.run(async () => {
      const limit = checkAuditLimit(query.limit);
      if (limit === 0) return [];
      const min = String(auditLowerBound(this.options, query.since));
      const members =
        limit === undefined
          ? await this.client.zrevrangebyscore(this.auditKey(), "+inf", min)
          : await this.client.zrevrangebyscore(this.auditKey(), "+inf", min, "LIMIT", 0, limit);
      return members.map((member) => deserialize<AuditEntry>(member.slice(AUDIT_SEQ_WIDTH + 1)));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private async compareAndSetLoop<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttl: number | undefined,
  ): Promise<T | undefined> {
    const redisKey = this.kvKey(key);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const currentText = await this.client.get(redisKey);
      const nextText = applyChange(currentText ?? undefined, change);
      const written = await this.script(
        COMPARE_AND_SET,
        [redisKey],
        [
          currentText === null ? "0" : "1",
          currentText ?? "",
          nextText === undefined ? "0" : "1",
          nextText ?? "",
          ttlArg(ttl),
        ],
      );
      if (written === 1) return nextText === undefined ? undefined : deserialize<T>(nextText);
      // Another writer won: back off a random few milliseconds, growing with each loss.
      await sleep(Math.random() * Math.min(2 ** attempt, 50));
    }
    throw new HedgeError(
      "store_contention",
      `Gave up updating "${key}" in Redis at ${this.url} after ${MAX_UPDATE_ATTEMPTS} conflicting writes.`,
      { hint: "Many replicas are writing this key at once; retry the request." },
    );
  }

  /** Runs one update of `key` after the previous one from this instance has finished. */
  private queued<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.updateQueues.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.updateQueues.set(key, tail);
    void tail.then(() => {
      if (this.updateQueues.get(key) === tail) this.updateQueues.delete(key);
    });
    return result;
  }

  /** EVALSHA, loading the script with EVAL when the server does not know it yet. */
  private async script(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.client.evalsha(script.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await this.client.eval(script.source, keys.length, ...keys, ...args);
    }
  }

  private async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw storeClosedError(this.kind);
    try {
      return await operation();
    } catch (error) {
      throw this.describe(error);
    }
  }

  /** Connection and authentication failures as one-line HedgeErrors naming the redacted URL. */
  private describe(error: unknown): unknown {
    if (error instanceof HedgeError || !(error instanceof Error)) return error;
    const detail = oneLineMessage(error);
    if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(detail)) {
      return new HedgeError(
        "store_auth_failed",
        `Redis at ${this.url} refused the login (${detail}).`,
        {
          hint: 'Put the right password in the URL: store = "redis://:PASSWORD@host:port".',
          cause: error,
        },
      );
    }
    const connectionTrouble =
      error.name === "MaxRetriesPerRequestError" ||
      /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|Connection is closed|Stream isn't writeable|Command timed out|no answer within/i.test(
        detail,
      );
    if (!connectionTrouble) return error;
    const reason =
      this.lastError !== undefined && this.lastError !== error ? this.lastError.message : detail;
    return new HedgeError("store_unreachable", `Redis at ${this.url} is unreachable (${reason}).`, {
      hint: `Start Redis or fix store in config.toml; check with: redis-cli -u "${this.url}" ping`,
      cause: error,
    });
  }

  private kvKey(key: string): string {
    return `${this.prefix}kv:${key}`;
  }

  private auditKey(): string {
    return `${this.prefix}audit`;
  }
}

function ttlArg(ttl: number | undefined): string {
  return ttl === undefined ? "" : String(ttl);
}

/** SCAN MATCH treats `* ? [ ] \` as glob syntax; a prefix is literal. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
