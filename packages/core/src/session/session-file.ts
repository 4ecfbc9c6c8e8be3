import { randomUUID } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
} from "node:fs";
import { basename, join } from "node:path";
import { HedgeError, type CanonicalMessage } from "@hedge/model-spec";
import { addTurnUsage, emptyTurnUsage, type AgentEvent, type TurnUsage } from "../agent/events.js";
import type { RouteDecisionItem } from "../agent/items.js";
import { SessionLock } from "./session-lock.js";

/** The first line of a session file. */
export interface SessionMeta {
  type: "session_meta";
  id: string;
  created_at: string;
  cwd: string;
  model: string;
}

/** One line of a session file (JSONL, append-only). */
export type SessionRecord =
  | SessionMeta
  | {
      type: "message";
      at: string;
      message: CanonicalMessage;
      /** The user inputs this message delivers (the proof that they reached the model). */
      input_ids?: string[];
    }
  | { type: "event"; at: string; event: AgentEvent }
  | { type: "compacted"; at: string; summary: string; start?: number; replaced: number }
  | AsideRecord;

/** A side question and its answer (`ask`): kept in the session, never part of its history. */
export interface AsideRecord {
  type: "aside";
  at: string;
  id: string;
  question: string;
  answer: string;
  model: string;
  provider?: string;
  profile?: string | null;
  error?: string;
}

/**
 * A session: one JSONL file under `$HEDGE_HOME/sessions/YYYY/MM/DD/`. Every record is appended
 * (and reaches the OS) as it happens, so an interrupted turn or a crash leaves a readable file
 * whose last complete line is the last thing that happened. One process at a time writes a
 * session (`SessionLock`): it holds it from `create`/`open` until `close` or its exit.
 */
export class SessionFile {
  readonly id: string;
  readonly path: string;
  readonly meta: SessionMeta;
  private readonly messages: CanonicalMessage[];
  private readonly itemsSoFar: number;
  private readonly usageSoFar: TurnUsage;
  /** Absent for a read-only view (`openReadOnly`): it takes no lock and writes no history. */
  private readonly lock: SessionLock | undefined;
  private readonly deliveredIds: Set<string>;
  private readonly lastRoutes: RouteDecisionItem[];

  private constructor(
    path: string,
    meta: SessionMeta,
    lock: SessionLock | undefined,
    messages: CanonicalMessage[],
    items = 0,
    usage = emptyTurnUsage(),
    delivered = new Set<string>(),
    routes: RouteDecisionItem[] = [],
  ) {
    this.path = path;
    this.meta = meta;
    this.id = meta.id;
    this.lock = lock;
    this.messages = messages;
    this.itemsSoFar = items;
    this.usageSoFar = usage;
    this.deliveredIds = delivered;
    this.lastRoutes = routes;
  }

  /** Whether this is a read-only view: its asides go to the asides file beside the session. */
  get readOnly(): boolean {
    return this.lock === undefined;
  }

  /**
   * The route that served each role last in this session (its `route_decision` events), in the
   * order they were decided: a resumed thread continues on them (asides stay on the same
   * provider and profile, so the provider's prompt cache is reused).
   */
  routes(): RouteDecisionItem[] {
    return [...this.lastRoutes];
  }

  /**
   * The user inputs this session's messages delivered (the proof an input reached the model):
   * compacted messages included.
   */
  deliveredInputIds(): ReadonlySet<string> {
    return new Set(this.deliveredIds);
  }

  /** How many thread items earlier turns produced: item ids continue after them. */
  itemCount(): number {
    return this.itemsSoFar;
  }

  /** What earlier turns used, summed from their `turn.completed` events (a copy). */
  usage(): TurnUsage {
    return { ...this.usageSoFar };
  }

  /** Starts a new session file (`id`: one chosen beforehand, else a new one). */
  static create(
    home: string,
    fields: { cwd: string; model: string; now?: Date; id?: string },
  ): SessionFile {
    const now = fields.now ?? new Date();
    const id = fields.id ?? randomUUID();
    const dir = join(
      home,
      "sessions",
      String(now.getUTCFullYear()),
      String(now.getUTCMonth() + 1).padStart(2, "0"),
      String(now.getUTCDate()).padStart(2, "0"),
    );
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stamp = now.toISOString().replace(/[:.]/g, "-");
    const path = join(dir, `session-${stamp}-${id}.jsonl`);
    const meta: SessionMeta = {
      type: "session_meta",
      id,
      created_at: now.toISOString(),
      cwd: fields.cwd,
      model: fields.model,
    };
    const lock = SessionLock.acquire(path, id);
    appendFileSync(path, `${JSON.stringify(meta)}\n`, { mode: 0o600 });
    return new SessionFile(path, meta, lock, []);
  }

  /**
   * Opens a session to continue it: its conversation so far, repaired if a turn was cut off.
   * Refused (`session_busy`) while another running process has it open.
   */
  static open(path: string): SessionFile {
    const lock = SessionLock.acquire(path, idFromPath(path));
    try {
      return SessionFile.read(path, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /**
   * Opens a session to read it while another process may hold it (`hedge ask` beside a running
   * TUI): no lock is taken, nothing is written to its history or events, and a half-written last
   * line is skipped rather than repaired. Only asides can be recorded (`appendAside`): each is
   * one line appended in one write to `<session>.asides`, a file beside the session that the
   * holder never writes, so the two processes never interleave within a record.
   */
  static openReadOnly(path: string): SessionFile {
    return SessionFile.read(path, undefined);
  }

  private static read(path: string, lock: SessionLock | undefined): SessionFile {
    const text = readFileSync(path, "utf8");
    // A crash mid-append leaves a last line without its newline: end it here, so the next
    // record starts a line of its own instead of being glued onto (and lost with) the cut one.
    // A reader without the lock leaves that to the holder (the line may be being written).
    if (lock && text.length > 0 && !text.endsWith("\n")) appendFileSync(path, "\n");
    const lines = text.split("\n");
    let meta: SessionMeta | undefined;
    let messages: CanonicalMessage[] = [];
    let items = 0;
    const usage = emptyTurnUsage();
    const delivered = new Set<string>();
    const routes = new Map<string, RouteDecisionItem>();
    for (const line of lines) {
      if (!line.trim()) continue;
      let record: SessionRecord;
      try {
        record = JSON.parse(line) as SessionRecord;
      } catch {
        continue; // a line cut off by a crash: everything before it still counts
      }
      if (record.type === "session_meta") meta = record;
      else if (record.type === "message") {
        messages.push(record.message);
        if (Array.isArray(record.input_ids))
          for (const id of record.input_ids) if (typeof id === "string") delivered.add(id);
      } else if (record.type === "event" && "item" in record.event) {
        const item = record.event.item;
        if (record.event.type === "item.completed" && item.type === "route_decision") {
          routes.delete(item.role); // the latest last, so the order is the order of decision
          routes.set(item.role, item);
        }
        const number = Number(/^item_(\d+)$/.exec(record.event.item.id)?.[1] ?? -1);
        items = Math.max(items, number + 1);
      } else if (record.type === "event" && record.event.type === "turn.completed") {
        addTurnUsage(usage, record.event.usage);
      } else if (record.type === "compacted") {
        messages = [summaryMessage(record.summary), ...messages.slice(record.replaced)];
      }
    }
    if (!meta) {
      throw new HedgeError("session_invalid", `${path} is not a hedge session file`, {
        hint: "pass a session id from ~/.hedge/sessions or use --last",
      });
    }
    return new SessionFile(path, meta, lock, repairHistory(messages), items, usage, delivered, [
      ...routes.values(),
    ]);
  }

  /** Lets another process continue this session. */
  close(): void {
    this.lock?.release();
  }

  /** The conversation so far (a copy). */
  history(): CanonicalMessage[] {
    return [...this.messages];
  }

  /** Adds a message to the conversation; `inputIds`: the user inputs it delivers. */
  appendMessage(message: CanonicalMessage, inputIds?: readonly string[]): void {
    this.messages.push(message);
    for (const id of inputIds ?? []) this.deliveredIds.add(id);
    this.write({
      type: "message",
      at: new Date().toISOString(),
      message,
      ...(inputIds?.length ? { input_ids: [...inputIds] } : {}),
    });
  }

  /** Records a side question and its answer; the conversation is unchanged. */
  appendAside(aside: Omit<AsideRecord, "type" | "at">): void {
    const record: AsideRecord = { type: "aside", at: new Date().toISOString(), ...aside };
    if (this.lock) this.write(record);
    // One appending write of one whole line (O_APPEND): concurrent askers never interleave.
    else appendFileSync(asidesPath(this.path), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  /** Every aside of this session: those recorded in it and those read-only askers added beside. */
  asides(): AsideRecord[] {
    const found: AsideRecord[] = [];
    for (const file of [this.path, asidesPath(this.path)]) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        continue;
      }
      for (const line of text.split("\n")) {
        if (!line.includes('"aside"')) continue;
        try {
          const record = JSON.parse(line) as SessionRecord;
          if (record.type === "aside") found.push(record);
        } catch {
          // a line cut off mid-write
        }
      }
    }
    return found.sort((a, b) => a.at.localeCompare(b.at));
  }

  appendEvent(event: AgentEvent): void {
    this.write({ type: "event", at: new Date().toISOString(), event });
  }

  /** Older messages were summarised: `replaced` messages from `start` become one summary. */
  compact(summary: string, start: number, replaced: number): void {
    this.messages.splice(start, replaced, summaryMessage(summary));
    this.write({ type: "compacted", at: new Date().toISOString(), summary, start, replaced });
  }

  private write(record: SessionRecord): void {
    if (!this.lock)
      throw new HedgeError("session_read_only", `session ${this.id} is open read-only here`, {
        hint: "resume it (hedge resume ID) once no other hedge process has it open",
      });
    appendFileSync(this.path, `${JSON.stringify(record)}\n`);
  }
}

/** Where read-only askers record asides: beside the session, not a session itself (no `.jsonl`). */
export function asidesPath(sessionPath: string): string {
  return `${sessionPath}.asides`;
}

/** The id in a session file's name (`session-<stamp>-<uuid>.jsonl`), or the name itself. */
function idFromPath(path: string): string {
  return (
    /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/.exec(path)?.[1] ??
    basename(path)
  );
}

export function summaryMessage(summary: string): CanonicalMessage {
  return {
    role: "user",
    content: [
      {
        type: "text",
        text: `Summary of the earlier conversation (older turns were compacted):\n${summary}`,
      },
    ],
  };
}

/**
 * A turn cut off mid-tool leaves tool calls without results, which providers reject. Each such
 * call gets a result saying it was interrupted, so the conversation can go on.
 */
export function repairHistory(messages: readonly CanonicalMessage[]): CanonicalMessage[] {
  const answered = new Set<string>();
  for (const message of messages) {
    for (const part of message.content) if (part.type === "tool_result") answered.add(part.call_id);
  }
  const repaired: CanonicalMessage[] = [];
  for (const message of messages) {
    repaired.push(message);
    const missing = message.content.filter(
      (part) => part.type === "tool_call" && !answered.has(part.id),
    );
    if (missing.length > 0) {
      repaired.push({
        role: "tool",
        content: missing.map((part) => ({
          type: "tool_result" as const,
          call_id: part.type === "tool_call" ? part.id : "",
          content: "interrupted: this tool call did not finish (the turn was cut off)",
          is_error: true,
        })),
      });
    }
  }
  return repaired;
}

/** Finds a session file by id (or id prefix), or the most recent one. */
export function findSession(home: string, reference: { id?: string; last?: boolean }): string {
  const root = join(home, "sessions");
  const files = existsSync(root) ? listSessionFiles(root) : [];
  if (reference.last) {
    const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (!newest)
      throw new HedgeError("session_not_found", "there is no session to resume yet", {
        hint: "run hedge exec PROMPT first",
      });
    return newest;
  }
  const id = reference.id ?? "";
  const matches = files.filter((file) => file.endsWith(`-${id}.jsonl`) || file.includes(`-${id}`));
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new HedgeError(
    "session_not_found",
    matches.length === 0 ? `no session "${id}"` : `"${id}" matches ${matches.length} sessions`,
    { hint: "use the full id printed as thread_id, or --last" },
  );
}

function listSessionFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listSessionFiles(path));
    else if (entry.name.startsWith("session-") && entry.name.endsWith(".jsonl")) found.push(path);
  }
  return found;
}
