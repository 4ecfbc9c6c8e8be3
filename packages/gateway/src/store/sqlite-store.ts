import type BetterSqlite3 from "better-sqlite3";
import { HedgeError } from "@hedge/model-spec";
import { createPrivateFile, describeSqliteError, enableWal } from "./sqlite-file.js";
import { AUDIT_BATCH_MIGRATION, AUDIT_BATCH_SCHEMA, SqliteAuditLog } from "./sqlite-audit.js";
import type { AuditEntry, AuditQuery, Store, StoreOptions } from "./store.js";
import {
  applyChange,
  auditCutoff,
  auditLowerBound,
  checkAuditLimit,
  checkIncrement,
  checkTtl,
  auditBatch,
  deserialize,
  notANumberError,
  resolveStoreOptions,
  serialize,
  storeClosedError,
  type ResolvedStoreOptions,
} from "./store-support.js";

/** Bumped with each migration in `migrate`; a newer file is refused rather than misread. */
export const SQLITE_SCHEMA_VERSION = 2;

export interface SqliteStoreOptions extends StoreOptions {
  /** How long a write waits for another process's write lock before failing (default 5000). */
  busyTimeoutMs?: number;
}

/** Expired rows are deleted at most this often (by the store's clock); reads ignore them anyway. */
const PURGE_INTERVAL_MS = 60_000;

interface KvRow {
  key: string;
  value: string;
  expires_at: number | null;
}

type Database = BetterSqlite3.Database;

/**
 * The Store in one SQLite file (`$HEDGE_HOME/state.db` by default), shared by every local hedge
 * process. WAL mode lets readers run beside a writer; writers queue on the file lock for up to
 * `busyTimeoutMs`. `update` runs in a `BEGIN IMMEDIATE` transaction (the write lock is taken
 * before the read), so two processes never lose each other's update.
 *
 * better-sqlite3 is a native addon: it is loaded by `open`, not when this module is imported.
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite";
  readonly path: string;
  private readonly db: Database;
  private readonly options: ResolvedStoreOptions;
  private readonly busyTimeoutMs: number;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly audit: SqliteAuditLog;
  private purgedAt = -Infinity;
  private closed = false;

  private constructor(
    path: string,
    db: Database,
    options: SqliteStoreOptions,
    busyTimeoutMs: number,
  ) {
    this.path = path;
    this.db = db;
    this.options = resolveStoreOptions(options);
    this.busyTimeoutMs = busyTimeoutMs;
    this.statements = prepareStatements(db);
    this.audit = new SqliteAuditLog(db);
  }

  /**
   * Opens (creating if needed) the database at `path`: parent directory 0700, file 0600, WAL,
   * schema migrated. Throws a HedgeError naming the file when it is not a database, is locked or
   * cannot be written.
   */
  static async open(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const { default: Database } = await import("better-sqlite3");
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    resolveStoreOptions(options);
    let db: Database | undefined;
    try {
      createPrivateFile(path);
      // `timeout` is SQLite's busy timeout: how long a statement waits for another's lock.
      db = new Database(path, { timeout: Math.max(0, Math.floor(busyTimeoutMs)) });
      // Before anything else reads the file: a non-database fails here, untouched.
      await enableWal(db, busyTimeoutMs);
      db.pragma("synchronous = NORMAL");
      migrate(db, path);
      return new SqliteStore(path, db, options, busyTimeoutMs);
    } catch (error) {
      db?.close();
      throw describeSqliteError(error, path, busyTimeoutMs);
    }
  }

  /**
   * A write that does not wait for a lock (`ResilientStore`'s probe during an outage): a locked
   * file answers at once instead of after the busy timeout, which blocks the whole process.
   */
  probe(key: string, value: unknown, ttlMs: number): Promise<void> {
    return this.run(() => {
      this.db.pragma("busy_timeout = 0");
      try {
        this.statements.put.run(key, serialize(value) ?? "null", this.expiry(checkTtl(ttlMs)));
      } finally {
        this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(this.busyTimeoutMs))}`);
      }
    });
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.run(() => {
      const text = this.statements.get.get(key, this.options.now());
      return text === undefined ? undefined : deserialize<T>(text);
    });
  }

  getMany<T>(keys: readonly string[]): Promise<Map<string, T>> {
    return this.run(() => {
      const found = new Map<string, T>();
      if (keys.length === 0) return found;
      const rows = this.statements.getMany.all(JSON.stringify(keys), this.options.now());
      for (const row of rows) found.set(row.key, deserialize<T>(row.value));
      return found;
    });
  }

  set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    return this.run(() => {
      const ttl = checkTtl(ttlMs);
      const text = serialize(value);
      if (text === undefined) this.statements.delete.run(key);
      else this.statements.put.run(key, text, this.expiry(ttl));
      this.purge();
    });
  }

  delete(key: string): Promise<void> {
    return this.run(() => {
      this.statements.delete.run(key);
    });
  }

  update<T>(
    key: string,
    change: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined> {
    return this.run(() => {
      const ttl = checkTtl(ttlMs);
      const transaction = this.db.transaction((): T | undefined => {
        const now = this.options.now();
        const row = this.statements.getRow.get(key, now);
        const text = applyChange(row?.value, change);
        if (text === undefined) {
          if (row !== undefined) this.statements.delete.run(key);
          return undefined;
        }
        const expiresAt = ttl === undefined ? (row?.expires_at ?? null) : now + ttl;
        this.statements.put.run(key, text, expiresAt);
        return deserialize<T>(text);
      });
      const result = transaction.immediate();
      this.purge();
      return result;
    });
  }

  increment(key: string, by: number, ttlMs?: number): Promise<number> {
    return this.run(() => {
      checkIncrement(by);
      const ttl = checkTtl(ttlMs);
      const now = this.options.now();
      const text = this.statements.increment.get({
        key,
        initial: JSON.stringify(by),
        // Integers bound as INTEGER keep integer counters integral ("3", not "3.0").
        by: Number.isSafeInteger(by) ? BigInt(by) : by,
        expiresAt: this.expiry(ttl),
        now,
      });
      if (text === undefined) throw notANumberError(key);
      this.purge();
      return deserialize<number>(text);
    });
  }

  list<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    return this.run(() => {
      const found: { key: string; value: T }[] = [];
      // Keys sharing a prefix are contiguous in key order: walk the index from the prefix on.
      for (const row of this.statements.listFrom.iterate(prefix, this.options.now())) {
        if (!row.key.startsWith(prefix)) break;
        found.push({ key: row.key, value: deserialize<T>(row.value) });
      }
      return found;
    });
  }

  appendAudit(entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
    const batch = auditBatch(entries);
    return this.run(() => {
      if (batch.length === 0) return;
      this.db
        .transaction(() =>
          this.audit.append(batch, auditCutoff(this.options), this.options.auditMaxEntries),
        )
        .immediate();
    });
  }

  listAudit(query: AuditQuery = {}): Promise<AuditEntry[]> {
    return this.run(() => {
      checkAuditLimit(query.limit);
      return this.audit.list(
        query,
        auditLowerBound(this.options, query.since),
        this.options.auditMaxEntries,
      );
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }

  /** Runs a synchronous better-sqlite3 operation as the interface's promise, errors described. */
  private run<T>(operation: () => T): Promise<T> {
    return new Promise<T>((resolve) => {
      if (this.closed) throw storeClosedError(this.kind);
      try {
        resolve(operation());
      } catch (error) {
        throw describeSqliteError(error, this.path, this.busyTimeoutMs);
      }
    });
  }

  private expiry(ttl: number | undefined): number | null {
    return ttl === undefined ? null : this.options.now() + ttl;
  }

  /** Deletes expired rows now and then, after a write (this process already holds the file). */
  private purge(): void {
    const now = this.options.now();
    if (now - this.purgedAt < PURGE_INTERVAL_MS) return;
    this.purgedAt = now;
    this.statements.purge.run(now);
  }
}

function prepareStatements(db: Database) {
  const live = "(expires_at IS NULL OR expires_at > ?)";
  return {
    get: db
      .prepare<[string, number], string>(`SELECT value FROM kv WHERE key = ? AND ${live}`)
      .pluck(),
    getRow: db.prepare<[string, number], KvRow>(
      `SELECT key, value, expires_at FROM kv WHERE key = ? AND ${live}`,
    ),
    getMany: db.prepare<[string, number], KvRow>(
      `SELECT key, value, expires_at FROM kv WHERE key IN (SELECT value FROM json_each(?)) AND ${live}`,
    ),
    listFrom: db.prepare<[string, number], KvRow>(
      `SELECT key, value, expires_at FROM kv WHERE key >= ? AND ${live} ORDER BY key`,
    ),
    put: db.prepare<[string, string, number | null]>(
      `INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    ),
    delete: db.prepare<[string]>("DELETE FROM kv WHERE key = ?"),
    // An expired row counts as absent: it restarts from `by` with the new TTL. A live non-number
    // matches no branch, so nothing is written and nothing is returned.
    increment: db
      .prepare<
        [
          {
            key: string;
            initial: string;
            by: number | bigint;
            expiresAt: number | null;
            now: number;
          },
        ],
        string
      >(
        `INSERT INTO kv (key, value, expires_at) VALUES (@key, @initial, @expiresAt)
         ON CONFLICT (key) DO UPDATE SET
           value = CASE WHEN kv.expires_at IS NOT NULL AND kv.expires_at <= @now
                        THEN excluded.value ELSE kv.value + @by END,
           expires_at = CASE WHEN kv.expires_at IS NOT NULL AND kv.expires_at <= @now
                             THEN excluded.expires_at ELSE kv.expires_at END
         WHERE (kv.expires_at IS NOT NULL AND kv.expires_at <= @now)
            OR json_type(kv.value) IN ('integer', 'real')
         RETURNING value`,
      )
      .pluck(),
    purge: db.prepare<[number]>("DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?"),
  };
}

/** Schema changes go here as `if (version < N)` steps; each bumps `user_version`. */
function migrate(db: Database, path: string): void {
  const readVersion = () => db.pragma("user_version", { simple: true }) as number;
  if (readVersion() === SQLITE_SCHEMA_VERSION) return;
  db.transaction(() => {
    // Re-read under the write lock: another process may have migrated meanwhile.
    const version = readVersion();
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new HedgeError(
        "store_schema_newer",
        `${path} has schema version ${version}; this hedge understands up to ${SQLITE_SCHEMA_VERSION}.`,
        { hint: "Upgrade hedge, or move the file aside to start with fresh gateway state." },
      );
    }
    if (version < 1) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS kv (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          expires_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS kv_expires_at ON kv (expires_at) WHERE expires_at IS NOT NULL;
      `);
      db.exec(AUDIT_BATCH_SCHEMA);
    } else if (version < 2) {
      db.exec(AUDIT_BATCH_SCHEMA);
      db.exec(AUDIT_BATCH_MIGRATION);
    }
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}
