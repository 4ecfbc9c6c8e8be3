import { isHedgeError } from "@hedge/model-spec";
import { MemoryStore } from "./memory-store.js";
import type { AuditEntry, AuditQuery, Store } from "./store.js";

/** Whether the Store is serving from its in-memory copy, since when and why. */
export interface StoreHealth {
  kind: Store["kind"];
  degraded: boolean;
  /** Epoch ms the outage began (while degraded). */
  since?: number;
  /** The failure that began it, one line (never a password: stores redact their URLs). */
  reason?: string;
}

/** Merges this process's value of a key, written during an outage, into the Store's. */
export type OutageMerge = (key: string, ours: unknown, theirs: unknown) => unknown;

/** Failures of the Store's backend that are an outage, not a bug: Redis gone, SQLite locked... */
const OUTAGE_CODES = new Set([
  "store_unreachable",
  "store_locked",
  "store_unwritable",
  "store_disk_full",
]);

/** Whether `error` means the Store cannot be reached or written now. */
export function isStoreOutage(error: unknown): boolean {
  return isHedgeError(error) && OUTAGE_CODES.has(error.code);
}

const PROBE_KEY = "store:probe";
/** Values read while the Store was up are kept this long for an outage, unless they expire. */
const READ_KEEP_MS = 3_600_000;
/** Audit entries held during an outage, oldest dropped beyond this. */
const MAX_HELD_AUDIT = 100_000;

/**
 * The gateway's Store with an outage mode. While the backend answers, every value read or
 * written also lands in an in-memory copy. When the backend fails with an outage (Redis
 * unreachable, SQLite locked or unwritable, disk full) the gateway keeps serving from that copy:
 * breakers, cooldowns, usage and counters change in memory, audit entries are held, and the
 * backend is not called again (a locked SQLite file would make each call wait) except by a
 * probe every `probeMs`. When the probe succeeds, what changed is merged back (`merge` per key,
 * counters added, held audit entries appended) and the Store is used again.
 */
export class ResilientStore implements Store {
  readonly kind: Store["kind"];
  private readonly copy: MemoryStore;
  private outage:
    | {
        since: number;
        reason: string;
        changed: Set<string>;
        /** Counter keys incremented during the outage: the sum added, and the TTL asked. */
        added: Map<string, { by: number; ttlMs: number | undefined }>;
        audit: AuditEntry[];
      }
    | undefined;
  private probe: NodeJS.Timeout | undefined;
  private recovering: Promise<void> | undefined;

  constructor(
    private readonly inner: Store,
    private readonly options: {
      now?: () => number;
      probeMs?: number;
      merge?: OutageMerge;
      /** One line when the Store goes down and when it is back. */
      log?: (line: string) => void;
    } = {},
  ) {
    this.kind = inner.kind;
    this.copy = new MemoryStore({ ...(options.now ? { now: options.now } : {}) });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  health(): StoreHealth {
    const outage = this.outage;
    return outage
      ? { kind: this.kind, degraded: true, since: outage.since, reason: outage.reason }
      : { kind: this.kind, degraded: false };
  }

  /** The backend's answer (also kept in the copy), or the copy's after an outage begins. */
  private async call<T>(
    backend: () => Promise<T>,
    keep: (value: T) => unknown,
    fallback: () => Promise<T>,
  ): Promise<T> {
    if (this.outage) return fallback();
    let value: T;
    try {
      value = await backend();
    } catch (error) {
      if (!isStoreOutage(error)) throw error;
      this.begin(error);
      return fallback();
    }
    await keep(value);
    return value;
  }

  private begin(error: unknown): void {
    if (this.outage) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.outage = {
      since: this.now(),
      reason,
      changed: new Set(),
      added: new Map(),
      audit: [],
    };
    this.options.log?.(
      `gateway: store degraded (${this.kind}): ${reason}; serving from memory, checking every ${Math.round(this.probeMs() / 1000)} s`,
    );
    this.probe = setInterval(() => void this.tryRecover(), this.probeMs());
    this.probe.unref();
  }

  private probeMs(): number {
    return this.options.probeMs ?? 1000;
  }

  /** Probes the backend with a write; when it answers, merges the outage back and resumes. */
  tryRecover(): Promise<void> {
    if (!this.outage) return Promise.resolve();
    this.recovering ??= this.recover().finally(() => (this.recovering = undefined));
    return this.recovering;
  }

  private async recover(): Promise<void> {
    const outage = this.outage;
    if (!outage) return;
    try {
      const inner = this.inner as Store & {
        probe?: (key: string, value: unknown, ttlMs: number) => Promise<void>;
      };
      if (inner.probe) await inner.probe(PROBE_KEY, this.now(), 60_000);
      else await inner.set(PROBE_KEY, this.now(), 60_000);
      for (const key of outage.changed) {
        const ours = await this.copy.get<unknown>(key);
        const ttlMs = this.copy.ttlLeft(key);
        const merge = this.options.merge ?? ((_key: string, mine: unknown) => mine);
        await this.inner.update<unknown>(
          key,
          (theirs) => (ours === undefined ? theirs : merge(key, ours, theirs)),
          ttlMs,
        );
      }
      for (const [key, { by, ttlMs }] of outage.added) await this.inner.increment(key, by, ttlMs);
      if (outage.audit.length) await this.inner.appendAudit(outage.audit);
    } catch (error) {
      if (isStoreOutage(error)) return;
      this.options.log?.(`gateway: merging state back into the store failed: ${String(error)}`);
      return;
    }
    clearInterval(this.probe);
    this.probe = undefined;
    this.outage = undefined;
    const seconds = Math.round((this.now() - outage.since) / 1000);
    this.options.log?.(
      `gateway: store back (${this.kind}) after ${seconds} s; ${outage.changed.size + outage.added.size} keys and ${outage.audit.length} audit entries merged`,
    );
  }

  private changed(key: string): void {
    this.outage?.changed.add(key);
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.call(
      () => this.inner.get<T>(key),
      (value) => this.copy.set(key, value, READ_KEEP_MS),
      () => this.copy.get<T>(key),
    );
  }

  getMany<T>(keys: readonly string[]): Promise<Map<string, T>> {
    return this.call(
      () => this.inner.getMany<T>(keys),
      async (found) => {
        for (const [key, value] of found) await this.copy.set(key, value, READ_KEEP_MS);
      },
      () => this.copy.getMany<T>(keys),
    );
  }

  set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    return this.call(
      () => this.inner.set(key, value, ttlMs),
      () => this.copy.set(key, value, ttlMs),
      async () => {
        await this.copy.set(key, value, ttlMs);
        this.changed(key);
      },
    );
  }

  delete(key: string): Promise<void> {
    return this.call(
      () => this.inner.delete(key),
      () => this.copy.delete(key),
      async () => {
        await this.copy.delete(key);
        this.changed(key);
      },
    );
  }

  update<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined> {
    return this.call(
      () => this.inner.update(key, change, ttlMs),
      (value) => this.copy.set(key, value, ttlMs ?? READ_KEEP_MS),
      async () => {
        const value = await this.copy.update(key, change, ttlMs);
        this.changed(key);
        return value;
      },
    );
  }

  increment(key: string, by: number, ttlMs?: number): Promise<number> {
    return this.call(
      () => this.inner.increment(key, by, ttlMs),
      (value) => this.copy.set(key, value, ttlMs ?? READ_KEEP_MS),
      async () => {
        const value = await this.copy.increment(key, by, ttlMs);
        const added = this.outage?.added;
        if (added) added.set(key, { by: (added.get(key)?.by ?? 0) + by, ttlMs });
        return value;
      },
    );
  }

  list<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    return this.call(
      () => this.inner.list<T>(prefix),
      () => undefined,
      () => this.copy.list<T>(prefix),
    );
  }

  appendAudit(entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
    const list = Array.isArray(entries) ? (entries as AuditEntry[]) : [entries as AuditEntry];
    return this.call(
      () => this.inner.appendAudit(entries),
      () => undefined,
      async () => {
        const held = this.outage?.audit;
        if (!held) return;
        held.push(...list);
        if (held.length > MAX_HELD_AUDIT) held.splice(0, held.length - MAX_HELD_AUDIT);
        await this.copy.appendAudit(list);
      },
    );
  }

  listAudit(query?: AuditQuery): Promise<AuditEntry[]> {
    return this.call(
      () => this.inner.listAudit(query),
      () => undefined,
      () => this.copy.listAudit(query),
    );
  }

  async close(): Promise<void> {
    // One last try to hand what changed during an outage back to the Store (a short-lived
    // process such as `hedge exec` would otherwise take it along).
    if (this.outage) await this.tryRecover();
    clearInterval(this.probe);
    this.probe = undefined;
    await this.copy.close();
    await this.inner.close();
  }
}
