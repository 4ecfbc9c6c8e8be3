import type { AgentEvent, ThreadItem } from "@hedge/core";
import type { AsideCell, Cell, CommandCell, ToolCell, UserCell } from "./cells.js";
import { describeAnswer, describeApproval } from "./describe.js";
import { asideCell, completedCell, duration, mcpToolCell, toolCell } from "./item-cells.js";
import { advanceSplit, INITIAL_SCAN, rebaseScan, type SplitScan } from "./markdown-split.js";
import { cleanLine, cleanText } from "./sanitize.js";

/** Text streaming under one item id (`item.delta`), not committed yet. */
interface Stream {
  id: string;
  target: "message" | "reasoning" | "aside";
  /** Everything received so far, raw. */
  raw: string;
  /** How much of `raw` is committed (printed); the rest is live. */
  consumed: number;
  /** Split scan of `raw.slice(consumed)`. */
  scan: SplitScan;
  /** Pieces committed so far. */
  pieces: number;
}

type LiveEntry =
  | { type: "stream"; stream: Stream }
  | { type: "command"; cell: CommandCell }
  | { type: "tool"; cell: ToolCell }
  | { type: "aside"; cell: AsideCell; raw: string };

/** Streams closed early keep their text a while, so a late `item.completed` is not shown twice. */
const CLOSED_MEMORY = 16;

/**
 * Committed cells kept in memory (the pager, Ctrl+L's reprint); older ones were printed and live
 * on in the terminal's scrollback and the session file. Trimmed in halves, so a commit stays O(1)
 * amortised and a long session's memory stays flat.
 */
export const RETAINED_CELLS = 400;

/**
 * The transcript as the TUI shows it, made from the thread's events: `committed` cells are final
 * and only ever appended (ink's `<Static>` prints each once), `live()` cells still change (the
 * streaming answer's unfinished part, running commands and tools, a side question being
 * answered). A streamed answer is committed in pieces at safe markdown split points (never inside
 * a code fence), so the live part stays small however long the answer gets. Everything here is
 * synchronous and free of I/O; `now` comes from the caller.
 */
export class TranscriptModel {
  private cells: Cell[] = [];
  private snapshot: readonly Cell[] = [];
  /** Committed cells dropped from memory, all before `cells[0]`. */
  private dropped = 0;
  private readonly liveEntries = new Map<string, LiveEntry>();
  private liveSnapshot: readonly Cell[] | undefined = [];
  private readonly closed = new Map<string, string>();
  private readonly inputTexts = new Map<string, string>();
  private readonly approvalSubjects = new Map<string, string>();
  private asideIds = new Set<string>();
  private noticeCounter = 0;
  /** Bumped on every change: a cheap "did anything change" for the store. */
  version = 0;

  /**
   * The last final cells in order (at most {@link RETAINED_CELLS} × 2); a new array whenever one
   * was added. `committedBefore` more came before them.
   */
  get committed(): readonly Cell[] {
    if (this.snapshot.length !== this.cells.length || this.snapshot[0] !== this.cells[0])
      this.snapshot = this.cells.slice();
    return this.snapshot;
  }

  /** How many committed cells came before `committed[0]` (dropped from memory). */
  get committedBefore(): number {
    return this.dropped;
  }

  /**
   * Keeps only the last `count` committed cells (a resumed session shows what fits the screen,
   * not its whole history); the screen says how many earlier cells it did not print.
   */
  keepLast(count: number): void {
    const drop = Math.max(0, this.cells.length - Math.max(0, count));
    if (drop === 0) return;
    this.cells = this.cells.slice(drop);
    this.dropped += drop;
    this.version += 1;
  }

  /** Cells still changing, in the order they started (the same array until something changes). */
  live(): readonly Cell[] {
    this.liveSnapshot ??= [...this.liveEntries.values()].flatMap((entry) => liveCell(entry));
    return this.liveSnapshot;
  }

  /**
   * The texts of inputs the user sent (from `steer`/`enqueue`/the input store), so their delivery
   * (`input.delivered` carries ids only) shows what was sent.
   */
  noteInputs(inputs: readonly { id: string; text: string }[]): void {
    for (const { id, text } of inputs) this.inputTexts.set(id, text);
  }

  /** A line from the TUI itself (a refused command, a hint): committed at once. */
  notice(text: string, tone: "info" | "warning" | "muted" = "info"): void {
    this.flushStreams();
    this.commit({ kind: "notice", id: `tui_notice_${(this.noticeCounter += 1)}`, tone, text });
  }

  /** Applies one thread event; `now` is epoch ms (command run times). */
  apply(event: AgentEvent, now: number): void {
    switch (event.type) {
      case "thread.started":
        this.commit({
          kind: "notice",
          id: `session_${event.thread_id}`,
          tone: "muted",
          text: `session ${cleanLine(event.thread_id)}`,
        });
        return;
      case "turn.started":
      case "usage.updated":
      case "role.activity":
      case "input.deferred":
        return;
      case "item.delta":
        this.delta(event.item_id, event.field, event.delta);
        return;
      case "item.started":
      case "item.updated":
        this.itemProgress(event.item, now);
        return;
      case "item.completed":
        this.itemCompleted(event.item, now);
        return;
      case "input.delivered":
        this.flushStreams();
        for (const id of event.ids) this.commit(this.userCell(id, event.via));
        return;
      case "approval.requested":
        this.approvalSubjects.set(event.request_id, describeApproval(event.request));
        return;
      case "approval.resolved": {
        const subject = this.approvalSubjects.get(event.request_id) ?? "an action";
        this.approvalSubjects.delete(event.request_id);
        this.flushStreams();
        this.commit({
          kind: "approval",
          id: `approval_${event.request_id}`,
          subject,
          ...describeAnswer(event),
        });
        return;
      }
      case "turn.interrupted": {
        this.flushStreams();
        for (const id of event.restored_ids) this.inputTexts.delete(id);
        const restored = event.restored_ids.length;
        const back =
          restored === 0
            ? ""
            : ` · ${restored} input${restored === 1 ? "" : "s"} back in the composer`;
        this.notice(`Interrupted${back}`, "warning");
        return;
      }
      case "turn.completed":
        this.settle(now);
        return;
      case "turn.failed":
        this.settle(now);
        this.commit({
          kind: "error",
          id: this.nextId("error"),
          message: `Turn failed: ${cleanText(event.error.message)}`,
        });
        return;
      case "error":
        this.flushStreams();
        this.commit({ kind: "error", id: this.nextId("error"), message: cleanText(event.message) });
        return;
    }
  }

  /**
   * The run ended (its event stream is over): what is still live becomes final. A command that
   * never completed was interrupted; a streamed answer keeps what arrived. Side questions run on
   * their own and are left alone.
   */
  settle(now: number): void {
    this.flushStreams();
    for (const [id, entry] of this.liveEntries) {
      if (entry.type === "command") {
        this.liveEntries.delete(id);
        this.commit({ ...entry.cell, status: "interrupted", ...duration(entry.cell, now) });
      } else if (entry.type === "tool") {
        this.liveEntries.delete(id);
        this.commit({ ...entry.cell, status: "failed", error: "interrupted" });
      }
    }
    this.touchLive();
  }

  private delta(id: string, field: "text" | "reasoning", delta: string): void {
    let entry = this.liveEntries.get(id);
    if (entry?.type === "aside") {
      entry.raw += delta;
      entry.cell = { ...entry.cell, markdown: cleanText(entry.raw) };
      this.touchLive();
      return;
    }
    if (!entry || entry.type !== "stream") {
      const target = this.asideIds.has(id)
        ? "aside"
        : field === "reasoning"
          ? "reasoning"
          : "message";
      // A new main message: whatever streamed before it is finished.
      if (target !== "aside") this.flushStreams();
      entry = {
        type: "stream",
        stream: { id, target, raw: "", consumed: 0, scan: INITIAL_SCAN, pieces: 0 },
      };
      this.liveEntries.set(id, entry);
    }
    const { stream } = entry;
    stream.raw += delta;
    this.touchLive();
    if (stream.target !== "message") return;
    const pending = stream.raw.slice(stream.consumed);
    stream.scan = advanceSplit(stream.scan, pending);
    if (stream.scan.safe > 0) {
      const cut = stream.scan.safe;
      this.commitPiece(stream, pending.slice(0, cut));
      stream.consumed += cut;
      stream.scan = rebaseScan(stream.scan, cut);
    }
  }

  private itemProgress(item: ThreadItem, now: number): void {
    if (item.type === "aside") {
      this.asideIds.add(item.id);
      const previous = this.liveEntries.get(item.id);
      const raw = previous?.type === "aside" ? previous.raw : item.text;
      this.liveEntries.set(item.id, { type: "aside", cell: asideCell(item, raw), raw });
      this.touchLive();
      return;
    }
    if (item.type === "command_execution") {
      const previous = this.liveEntries.get(item.id);
      if (!previous) this.flushStreams();
      const startedAt = previous?.type === "command" ? previous.cell.startedAt : now;
      this.liveEntries.set(item.id, {
        type: "command",
        cell: {
          kind: "command",
          id: item.id,
          command: cleanLine(item.command),
          status: "running",
          output: cleanText(item.aggregated_output),
          ...(startedAt === undefined ? {} : { startedAt }),
        },
      });
      this.touchLive();
      return;
    }
    if (item.type === "tool_call") {
      if (!this.liveEntries.has(item.id)) this.flushStreams();
      this.liveEntries.set(item.id, { type: "tool", cell: toolCell(item, "running") });
      this.touchLive();
    }
    if (item.type === "mcp_tool_call") {
      if (!this.liveEntries.has(item.id)) this.flushStreams();
      this.liveEntries.set(item.id, { type: "tool", cell: mcpToolCell(item, "running") });
      this.touchLive();
    }
    // Other items have no in-progress form worth showing; their completion is.
  }

  private itemCompleted(item: ThreadItem, now: number): void {
    if (item.type === "aside") {
      this.liveEntries.delete(item.id);
      this.asideIds.delete(item.id);
      this.touchLive();
      this.commit(asideCell(item, item.text));
      return;
    }
    if (item.type === "agent_message") {
      this.completeMessage(item.id, item.text);
      return;
    }
    const previous = this.liveEntries.get(item.id);
    if (previous) this.liveEntries.delete(item.id);
    if (item.type === "reasoning") this.dropReasoningStreams();
    this.flushStreams();
    this.touchLive();
    const startedAt = previous?.type === "command" ? previous.cell.startedAt : undefined;
    const cell = completedCell(item, startedAt, now);
    if (cell) this.commit(cell);
  }

  /** A message's full text: commit what of it is not shown yet. */
  private completeMessage(id: string, text: string): void {
    const entry = this.liveEntries.get(id);
    let shown = "";
    let pieces = 0;
    if (entry?.type === "stream") {
      this.liveEntries.delete(id);
      shown = entry.stream.raw.slice(0, entry.stream.consumed);
      pieces = entry.stream.pieces;
      // Trust the completed text when it continues what streamed; else keep what streamed.
      const rest = text.startsWith(shown)
        ? text.slice(shown.length)
        : entry.stream.raw.slice(entry.stream.consumed);
      this.flushStreams();
      this.commitPiece(entry.stream, rest);
      this.touchLive();
      return;
    }
    const closed = this.closed.get(id);
    if (closed !== undefined) {
      this.closed.delete(id);
      if (!text.startsWith(closed)) return;
      shown = closed;
      pieces = 1;
    }
    this.flushStreams();
    const stream: Stream = {
      id,
      target: "message",
      raw: text,
      consumed: 0,
      scan: INITIAL_SCAN,
      pieces,
    };
    this.commitPiece(stream, text.slice(shown.length));
  }

  private commitPiece(stream: Stream, raw: string): void {
    const text = cleanText(raw).replace(/^\n+/, "").trimEnd();
    if (!text.trim()) return;
    const piece = stream.pieces;
    stream.pieces += 1;
    if (stream.target === "reasoning") {
      this.commit({ kind: "reasoning", id: `${stream.id}#${piece}`, text });
      return;
    }
    this.commit({
      kind: "assistant",
      id: `${stream.id}#${piece}`,
      markdown: text,
      continued: piece > 0,
    });
  }

  /** Main-thread streams end when anything else happens in the turn (side questions go on). */
  private flushStreams(): void {
    for (const [id, entry] of this.liveEntries) {
      if (entry.type !== "stream" || entry.stream.target === "aside") continue;
      this.liveEntries.delete(id);
      const { stream } = entry;
      this.commitPiece(stream, stream.raw.slice(stream.consumed));
      this.closed.set(id, stream.raw);
      if (this.closed.size > CLOSED_MEMORY) {
        const oldest = this.closed.keys().next().value;
        if (oldest !== undefined) this.closed.delete(oldest);
      }
      this.touchLive();
    }
  }

  /** A completed reasoning item replaces reasoning that streamed (it has all of it). */
  private dropReasoningStreams(): void {
    for (const [id, entry] of this.liveEntries) {
      if (entry.type === "stream" && entry.stream.target === "reasoning")
        this.liveEntries.delete(id);
    }
  }

  private userCell(id: string, via: UserCell["via"]): UserCell {
    const text = this.inputTexts.get(id);
    this.inputTexts.delete(id);
    return {
      kind: "user",
      id: `input_${id}`,
      text: text === undefined ? "(input sent elsewhere)" : cleanText(text),
      via,
    };
  }

  private commit(cell: Cell): void {
    this.cells.push(cell);
    if (this.cells.length > RETAINED_CELLS * 2) this.keepLast(RETAINED_CELLS);
    this.version += 1;
  }

  private touchLive(): void {
    this.liveSnapshot = undefined;
    this.version += 1;
  }

  private nextId(prefix: string): string {
    return `${prefix}_${(this.noticeCounter += 1)}`;
  }
}

function liveCell(entry: LiveEntry): Cell[] {
  if (entry.type !== "stream") return [entry.cell];
  const { stream } = entry;
  const text = cleanText(stream.raw.slice(stream.consumed)).replace(/^\n+/, "").trimEnd();
  if (stream.target === "aside" || !text) return [];
  if (stream.target === "reasoning") return [{ kind: "reasoning", id: stream.id, text }];
  return [{ kind: "assistant", id: stream.id, markdown: text, continued: stream.pieces > 0 }];
}
