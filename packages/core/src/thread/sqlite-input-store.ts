import { randomUUID } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import { z } from "zod";
import { HedgeError } from "@hedge/model-spec";
import type { DeliveryVia } from "../agent/events.js";
import { describeInputsDbError, openPrivateDatabase } from "./sqlite-inputs-file.js";
import type {
  ComposerDraft,
  InputKind,
  InputState,
  InputStore,
  NewInput,
  OpenedInputs,
  PendingInput,
} from "./input-store.js";

type Database = BetterSqlite3.Database;

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS inputs (
  id             TEXT PRIMARY KEY,
  session_id     TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('turn', 'steer', 'queue')),
  state          TEXT NOT NULL CHECK (state IN ('pending_steer', 'queued', 'delivered', 'restored')),
  text           TEXT NOT NULL,
  composer       TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  deferred       INTEGER NOT NULL DEFAULT 0,
  delivered_turn TEXT,
  delivered_via  TEXT CHECK (delivered_via IN ('turn_start', 'tool_boundary')),
  superseded_by  TEXT,
  UNIQUE (session_id, seq)
);
CREATE INDEX IF NOT EXISTS inputs_by_state ON inputs (session_id, state, seq);
CREATE INDEX IF NOT EXISTS inputs_by_time ON inputs (created_at);
CREATE TABLE IF NOT EXISTS drafts (
  session_id   TEXT PRIMARY KEY,
  composer     TEXT NOT NULL,
  restored_ids TEXT NOT NULL,
  updated_at   INTEGER NOT NULL
);
`;

/** A row as SQLite returns it. */
const rowSchema = z.object({
  id: z.string(),
  session_id: z.string(),
  seq: z.number(),
  kind: z.enum(["turn", "steer", "queue"]),
  state: z.enum(["pending_steer", "queued", "delivered", "restored"]),
  text: z.string(),
  composer: z.string().nullable(),
  created_at: z.number(),
  updated_at: z.number(),
  deferred: z.number(),
  delivered_turn: z.string().nullable(),
  delivered_via: z.enum(["turn_start", "tool_boundary"]).nullable(),
  superseded_by: z.string().nullable(),
});
type Row = z.infer<typeof rowSchema>;
const draftRowSchema = z.object({
  composer: z.string(),
  restored_ids: z.string(),
  updated_at: z.number(),
});

const OPEN_STATES = ["pending_steer", "queued"] as const;

/**
 * Pending inputs in one SQLite file (`$HEDGE_HOME/inputs.db`), shared by every hedge process:
 * each input is a row written (and synced: `synchronous = FULL`) before `add` returns, so a
 * screen shows only what survives a crash. Every state change is one conditional `UPDATE`
 * (`WHERE state IN (…)`), so an input moves once however calls interleave. One process at a time
 * writes a session's rows: the one holding its session file's lock.
 *
 * better-sqlite3 is a native addon: it is loaded by `open`, not when this module is imported, so
 * a process that never opens the store (exec, a remote client) never loads it.
 */
export class SqliteInputStore implements InputStore {
  readonly durable = true;
  private readonly statements: ReturnType<typeof prepare>;

  private constructor(
    readonly path: string,
    private readonly db: Database,
    private readonly now: () => number,
  ) {
    this.statements = prepare(db);
  }

  /**
   * Opens (creating if needed) the store at `path`: directory 0700, file 0600, WAL, schema.
   * Throws a HedgeError naming the file when it is not a database, is locked or not writable.
   */
  static async open(
    path: string,
    options: { now?: () => number; busyTimeoutMs?: number } = {},
  ): Promise<SqliteInputStore> {
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const db = await openPrivateDatabase(path, busyTimeoutMs);
    try {
      migrate(db, path);
      return new SqliteInputStore(path, db, options.now ?? Date.now);
    } catch (error) {
      db.close();
      throw describeInputsDbError(error, path);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  add(sessionId: string, input: NewInput): PendingInput {
    return this.write(() => {
      const at = this.now();
      const id = randomUUID();
      const seq = this.statements.nextSeq.pluck().get(sessionId) as number;
      this.statements.insert.run({
        id,
        session_id: sessionId,
        seq,
        kind: input.kind,
        state: input.kind === "steer" ? "pending_steer" : "queued",
        text: input.text,
        composer: input.composer ?? null,
        at,
      });
      if (input.supersedes?.length) this.supersedeRows(sessionId, input.supersedes, id, at);
      this.statements.deleteDraft.run(sessionId);
      return this.one(id);
    });
  }

  claim(
    sessionId: string,
    states: readonly ("pending_steer" | "queued")[],
    delivery: { turn: string; via: DeliveryVia },
  ): PendingInput[] {
    return this.write(() =>
      this.moved(
        this.statements.claim.all({
          session_id: sessionId,
          states: JSON.stringify(states),
          turn: delivery.turn,
          via: delivery.via,
          at: this.now(),
        }),
      ),
    );
  }

  defer(sessionId: string): PendingInput[] {
    return this.write(() =>
      this.moved(this.statements.defer.all({ session_id: sessionId, at: this.now() })),
    );
  }

  restore(sessionId: string, ids?: readonly string[]): PendingInput[] {
    const at = this.now();
    return this.write(() =>
      this.moved(
        ids === undefined
          ? this.statements.restoreAll.all({ session_id: sessionId, at })
          : this.statements.restoreSome.all({
              session_id: sessionId,
              ids: JSON.stringify(ids),
              at,
            }),
      ),
    );
  }

  open(sessionId: string): PendingInput[] {
    return this.moved(
      this.statements.inStates.all({ session_id: sessionId, states: JSON.stringify(OPEN_STATES) }),
    );
  }

  supersede(sessionId: string, ids: readonly string[], by: string): number {
    return this.write(() => this.supersedeRows(sessionId, ids, by, this.now()));
  }

  saveDraft(sessionId: string, draft: Omit<ComposerDraft, "updatedAt"> | undefined): void {
    this.write(() => {
      if (!draft?.composer) this.statements.deleteDraft.run(sessionId);
      else
        this.statements.saveDraft.run({
          session_id: sessionId,
          composer: draft.composer,
          restored_ids: JSON.stringify(draft.restoredIds),
          at: this.now(),
        });
    });
  }

  reconcile(sessionId: string, delivered: ReadonlySet<string>): OpenedInputs {
    return this.write(() => {
      const at = this.now();
      this.statements.restoreAll.run({ session_id: sessionId, at });
      const lost = this.moved(
        this.statements.inStates.all({
          session_id: sessionId,
          states: JSON.stringify(["delivered"]),
        }),
      ).filter(({ id }) => !delivered.has(id));
      // The session file is the proof of delivery: a claim whose message never reached it (a
      // crash between the two) did not reach the model either.
      if (lost.length > 0)
        this.statements.undeliver.run({
          session_id: sessionId,
          ids: JSON.stringify(lost.map(({ id }) => id)),
          at,
        });
      const draft = this.draft(sessionId);
      const held = new Set(draft?.restoredIds ?? []);
      const restored = this.moved(this.statements.unresolved.all(sessionId)).filter(
        ({ id }) => !held.has(id),
      );
      return { restored, draft };
    });
  }

  recent(limit: number): PendingInput[] {
    return this.statements.recent
      .all(Math.max(0, Math.floor(limit)))
      .map((row) => toInput(rowSchema.parse(row)));
  }

  private draft(sessionId: string): ComposerDraft | undefined {
    const raw = this.statements.draft.get(sessionId);
    if (raw === undefined) return undefined;
    const row = draftRowSchema.parse(raw);
    const ids = z.array(z.string()).safeParse(JSON.parse(row.restored_ids));
    return {
      composer: row.composer,
      restoredIds: ids.success ? ids.data : [],
      updatedAt: row.updated_at,
    };
  }

  private supersedeRows(sessionId: string, ids: readonly string[], by: string, at: number): number {
    return this.statements.supersede.run({
      session_id: sessionId,
      ids: JSON.stringify(ids),
      by,
      at,
    }).changes;
  }

  private one(id: string): PendingInput {
    return toInput(rowSchema.parse(this.statements.byId.get(id)));
  }

  /** Rows an UPDATE … RETURNING (or a select) gave, as inputs in submission order. */
  private moved(rows: unknown[]): PendingInput[] {
    return rows.map((row) => toInput(rowSchema.parse(row))).sort((a, b) => a.seq - b.seq);
  }

  /** Runs `body` in one IMMEDIATE transaction (the write lock first), errors described. */
  private write<T>(body: () => T): T {
    try {
      return this.db.transaction(body).immediate();
    } catch (error) {
      throw describeInputsDbError(error, this.path);
    }
  }
}

function migrate(db: Database, path: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new HedgeError(
      "store_too_new",
      `${path} was written by a newer hedge (schema ${version}; this one knows ${SCHEMA_VERSION})`,
      { hint: "upgrade hedge, or move the file aside to start without its pending inputs" },
    );
  }
  db.exec(SCHEMA);
  if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

function prepare(db: Database) {
  const returning = "RETURNING *";
  const inSession = "session_id = @session_id";
  return {
    nextSeq: db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM inputs WHERE session_id = ?"),
    insert: db.prepare(
      `INSERT INTO inputs (id, session_id, seq, kind, state, text, composer, created_at, updated_at)
       VALUES (@id, @session_id, @seq, @kind, @state, @text, @composer, @at, @at)`,
    ),
    byId: db.prepare("SELECT * FROM inputs WHERE id = ?"),
    claim: db.prepare(
      `UPDATE inputs SET state = 'delivered', delivered_turn = @turn, delivered_via = @via,
         updated_at = @at
       WHERE ${inSession} AND state IN (SELECT value FROM json_each(@states)) ${returning}`,
    ),
    defer: db.prepare(
      `UPDATE inputs SET state = 'queued', deferred = 1, updated_at = @at
       WHERE ${inSession} AND state = 'pending_steer' ${returning}`,
    ),
    restoreAll: db.prepare(
      `UPDATE inputs SET state = 'restored', updated_at = @at
       WHERE ${inSession} AND state IN ('pending_steer', 'queued') ${returning}`,
    ),
    restoreSome: db.prepare(
      `UPDATE inputs SET state = 'restored', updated_at = @at
       WHERE ${inSession} AND state IN ('pending_steer', 'queued')
         AND id IN (SELECT value FROM json_each(@ids)) ${returning}`,
    ),
    undeliver: db.prepare(
      `UPDATE inputs SET state = 'restored', delivered_turn = NULL, delivered_via = NULL,
         updated_at = @at
       WHERE ${inSession} AND state = 'delivered' AND id IN (SELECT value FROM json_each(@ids))`,
    ),
    supersede: db.prepare(
      `UPDATE inputs SET superseded_by = @by, updated_at = @at
       WHERE ${inSession} AND state = 'restored' AND superseded_by IS NULL
         AND id IN (SELECT value FROM json_each(@ids))`,
    ),
    inStates: db.prepare(
      `SELECT * FROM inputs WHERE ${inSession}
         AND state IN (SELECT value FROM json_each(@states)) ORDER BY seq`,
    ),
    unresolved: db.prepare(
      `SELECT * FROM inputs WHERE session_id = ? AND state = 'restored'
         AND superseded_by IS NULL ORDER BY seq`,
    ),
    recent: db.prepare("SELECT * FROM inputs ORDER BY created_at DESC, rowid DESC LIMIT ?"),
    saveDraft: db.prepare(
      `INSERT INTO drafts (session_id, composer, restored_ids, updated_at)
       VALUES (@session_id, @composer, @restored_ids, @at)
       ON CONFLICT (session_id) DO UPDATE SET composer = excluded.composer,
         restored_ids = excluded.restored_ids, updated_at = excluded.updated_at`,
    ),
    deleteDraft: db.prepare("DELETE FROM drafts WHERE session_id = ?"),
    draft: db.prepare("SELECT composer, restored_ids, updated_at FROM drafts WHERE session_id = ?"),
  };
}

function toInput(row: Row): PendingInput {
  return {
    id: row.id,
    sessionId: row.session_id,
    seq: row.seq,
    kind: row.kind satisfies InputKind,
    state: row.state satisfies InputState,
    text: row.text,
    ...(row.composer === null ? {} : { composer: row.composer }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deferred: row.deferred !== 0,
    ...(row.delivered_turn === null ? {} : { deliveredTurn: row.delivered_turn }),
    ...(row.delivered_via === null ? {} : { deliveredVia: row.delivered_via }),
    ...(row.superseded_by === null ? {} : { supersededBy: row.superseded_by }),
  };
}
