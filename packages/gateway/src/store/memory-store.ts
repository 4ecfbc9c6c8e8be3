import type { AuditEntry, AuditQuery, Store, StoreOptions } from "./store.js";
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
  resolveStoreOptions,
  serialize,
  serializeAudit,
  storeClosedError,
  type ResolvedStoreOptions,
} from "./store-support.js";

interface MemoryEntry {
  /** JSON text, so reads return copies and behave like the other backends. */
  text: string;
  expiresAt: number | undefined;
}

interface MemoryAuditRow {
  seq: number;
  at: number;
  text: string;
}

interface MemoryData {
  entries: Map<string, MemoryEntry>;
  audit: MemoryAuditRow[];
  nextSeq: number;
  sweptAt: number;
}

/** Expired entries are swept at most this often (by the store's clock); reads ignore them anyway. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The Store in a Map, for unit tests and single-process throwaway runs. TTLs follow the injected
 * clock (`StoreOptions.now`). Every operation is synchronous underneath, so `update` and
 * `increment` are trivially atomic. `share()` gives a second handle on the same data, the way a
 * second process sees the same SQLite file.
 */
export class MemoryStore implements Store {
  readonly kind = "memory";
  private data: MemoryData = { entries: new Map(), audit: [], nextSeq: 1, sweptAt: -Infinity };
  private readonly options: ResolvedStoreOptions;
  private closed = false;

  constructor(options: StoreOptions = {}) {
    this.options = resolveStoreOptions(options);
  }

  /** A new handle on this store's data, with its own options and its own `close`. */
  share(options: StoreOptions = {}): MemoryStore {
    const other = new MemoryStore(options);
    other.data = this.data;
    return other;
  }

  /** Milliseconds until `key` expires: undefined when it never does or is absent. */
  ttlLeft(key: string): number | undefined {
    const expiresAt = this.live(key)?.expiresAt;
    return expiresAt === undefined ? undefined : Math.max(1, expiresAt - this.options.now());
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.run(() => {
      const entry = this.live(key);
      return entry === undefined ? undefined : deserialize<T>(entry.text);
    });
  }

  getMany<T>(keys: readonly string[]): Promise<Map<string, T>> {
    return this.run(() => {
      const found = new Map<string, T>();
      for (const key of keys) {
        const entry = this.live(key);
        if (entry !== undefined) found.set(key, deserialize<T>(entry.text));
      }
      return found;
    });
  }

  set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    return this.run(() => {
      const ttl = checkTtl(ttlMs);
      this.sweep();
      const text = serialize(value);
      if (text === undefined) this.data.entries.delete(key);
      else this.data.entries.set(key, { text, expiresAt: this.expiry(ttl) });
    });
  }

  delete(key: string): Promise<void> {
    return this.run(() => {
      this.data.entries.delete(key);
    });
  }

  update<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined> {
    return this.run(() => {
      const ttl = checkTtl(ttlMs);
      this.sweep();
      const entry = this.live(key);
      const text = applyChange(entry?.text, change);
      if (text === undefined) {
        this.data.entries.delete(key);
        return undefined;
      }
      const expiresAt = ttl === undefined ? entry?.expiresAt : this.expiry(ttl);
      this.data.entries.set(key, { text, expiresAt });
      return deserialize<T>(text);
    });
  }

  increment(key: string, by: number, ttlMs?: number): Promise<number> {
    return this.run(() => {
      checkIncrement(by);
      const ttl = checkTtl(ttlMs);
      this.sweep();
      const entry = this.live(key);
      if (entry === undefined) {
        this.data.entries.set(key, { text: String(by), expiresAt: this.expiry(ttl) });
        return by;
      }
      const current = deserialize<unknown>(entry.text);
      if (typeof current !== "number") throw notANumberError(key);
      const next = current + by;
      entry.text = JSON.stringify(next);
      return next;
    });
  }

  list<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    return this.run(() => {
      const now = this.options.now();
      const found: { key: string; value: T }[] = [];
      for (const [key, entry] of this.data.entries) {
        if (!key.startsWith(prefix) || isExpired(entry, now)) continue;
        found.push({ key, value: deserialize<T>(entry.text) });
      }
      return found.sort(compareByKey);
    });
  }

  appendAudit(entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
    const batch = auditBatch(entries);
    return this.run(() => {
      const rows = this.data.audit;
      for (const entry of batch) {
        rows.push({ seq: this.data.nextSeq++, at: entry.at, text: serializeAudit(entry) });
      }
      rows.sort(compareAuditRows);
      const cutoff = auditCutoff(this.options);
      const firstKept = rows.findIndex((row) => row.at >= cutoff);
      const dropOld = firstKept === -1 ? rows.length : firstKept;
      const dropOver = rows.length - this.options.auditMaxEntries;
      rows.splice(0, Math.max(dropOld, dropOver));
    });
  }

  listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return this.run(() => {
      const limit = checkAuditLimit(query.limit);
      const lowerBound = auditLowerBound(this.options, query.since);
      const found: AuditEntry[] = [];
      for (let index = this.data.audit.length - 1; index >= 0; index--) {
        if (limit !== undefined && found.length >= limit) break;
        const row = this.data.audit[index];
        if (row === undefined || row.at < lowerBound) break;
        found.push(deserialize<AuditEntry>(row.text));
      }
      return found;
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** Runs a synchronous operation as the interface's promise; a throw becomes a rejection. */
  private run<T>(operation: () => T): Promise<T> {
    return new Promise<T>((resolve) => {
      if (this.closed) throw storeClosedError(this.kind);
      resolve(operation());
    });
  }

  private live(key: string): MemoryEntry | undefined {
    const entry = this.data.entries.get(key);
    if (entry === undefined) return undefined;
    if (isExpired(entry, this.options.now())) {
      this.data.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttl: number | undefined): number | undefined {
    return ttl === undefined ? undefined : this.options.now() + ttl;
  }

  private sweep(): void {
    const now = this.options.now();
    if (now - this.data.sweptAt < SWEEP_INTERVAL_MS) return;
    this.data.sweptAt = now;
    for (const [key, entry] of this.data.entries) {
      if (isExpired(entry, now)) this.data.entries.delete(key);
    }
  }
}

function isExpired(entry: MemoryEntry, now: number): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= now;
}

/** Oldest first: by `at`, then by insertion. */
function compareAuditRows(a: MemoryAuditRow, b: MemoryAuditRow): number {
  return a.at - b.at || a.seq - b.seq;
}
