import type BetterSqlite3 from "better-sqlite3";
import type { AuditEntry, AuditQuery } from "./store.js";
import { deserialize, serializeAudit } from "./store-support.js";

/**
 * Schema of the audit log (migration step 2): one row per appended batch, entries as a JSON
 * array in write order. Entries are numbered in write order; a batch's `seq` is the number of
 * its last entry, so "the newest N entries" is a range of `seq` and pruning by count deletes
 * whole old batches by primary key. Writing a batch of hundreds of entries costs one INSERT
 * instead of one B-tree insert (and one delete) per entry: at gateway rates that was the most
 * expensive part of recording a request.
 */
export const AUDIT_BATCH_SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_batch (
    seq INTEGER PRIMARY KEY,
    count INTEGER NOT NULL,
    max_at INTEGER NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS audit_batch_max_at ON audit_batch (max_at, seq);
`;

/** Moves schema-1 rows (one entry each) into single-entry batches. */
export const AUDIT_BATCH_MIGRATION = `
  INSERT INTO audit_batch (seq, count, max_at, json)
    SELECT id, 1, at, '[' || json || ']' FROM audit ORDER BY id;
  DROP TABLE audit;
`;

interface BatchRow {
  seq: number;
  count: number;
  max_at: number;
  json: string;
}

/** The audit log inside the SQLite store: appends run in the caller's write transaction. */
export class SqliteAuditLog {
  private readonly statements;

  constructor(db: BetterSqlite3.Database) {
    this.statements = {
      lastSeq: db.prepare<[], number>("SELECT coalesce(max(seq), 0) FROM audit_batch").pluck(),
      insert: db.prepare<[number, number, number, string]>(
        "INSERT INTO audit_batch (seq, count, max_at, json) VALUES (?, ?, ?, ?)",
      ),
      pruneAge: db.prepare<[number]>("DELETE FROM audit_batch WHERE max_at < ?"),
      pruneCount: db.prepare<[number]>("DELETE FROM audit_batch WHERE seq <= ?"),
      list: db.prepare<[number], BatchRow>(
        "SELECT seq, count, max_at, json FROM audit_batch WHERE max_at >= ? ORDER BY max_at DESC, seq DESC",
      ),
    };
  }

  /** Appends a batch and prunes by age and count. Call inside a write transaction. */
  append(batch: readonly AuditEntry[], cutoff: number, maxEntries: number): void {
    if (batch.length === 0) return;
    let json = "[";
    let maxAt = -Infinity;
    for (const [index, entry] of batch.entries()) {
      json += (index === 0 ? "" : ",") + serializeAudit(entry);
      if (entry.at > maxAt) maxAt = entry.at;
    }
    const seq = this.statements.lastSeq.get()! + batch.length;
    this.statements.insert.run(seq, batch.length, maxAt, `${json}]`);
    this.statements.pruneAge.run(cutoff);
    // Whole batches older than the newest `maxEntries` entries; `list` trims the one straddling.
    this.statements.pruneCount.run(seq - maxEntries);
  }

  /**
   * Entries at or after `lowerBound`, newest first (by `at`, then write order), at most `limit`.
   * Batches are read newest first and reading stops once no older batch can reach the top.
   */
  list(query: AuditQuery, lowerBound: number, maxEntries: number): AuditEntry[] {
    const limit = query.limit;
    if (limit === 0) return [];
    const floor = this.statements.lastSeq.get()! - maxEntries;
    let found: { entry: AuditEntry; seq: number }[] = [];
    for (const row of this.statements.list.iterate(lowerBound)) {
      if (limit !== undefined && found.length >= limit) {
        // Every entry of this batch is at or before its max_at: it can only tie the last kept.
        const last = found[limit - 1] as { entry: AuditEntry };
        if (row.max_at < last.entry.at) break;
      }
      const entries = deserialize<AuditEntry[]>(row.json);
      const first = row.seq - row.count + 1;
      entries.forEach((entry, index) => {
        const seq = first + index;
        if (seq > floor && entry.at >= lowerBound) found.push({ entry, seq });
      });
      if (limit !== undefined && found.length >= limit) {
        found.sort(newestFirst);
        found = found.slice(0, limit);
      }
    }
    return found.sort(newestFirst).map((item) => item.entry);
  }
}

function newestFirst(
  a: { entry: AuditEntry; seq: number },
  b: { entry: AuditEntry; seq: number },
): number {
  return b.entry.at - a.entry.at || b.seq - a.seq;
}
