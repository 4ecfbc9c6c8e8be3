import { readFileSync } from "node:fs";
import type { AgentEvent } from "@hedge/core";
import { gapBefore, layoutCell } from "../layout/cell-layout.js";
import type { Cell } from "../state/cells.js";
import { COMPOSER_CHROME } from "../state/height-budget.js";
import type { TranscriptModel } from "../state/transcript-model.js";

/** What a resumed session showed: its recorded events, and the texts its inputs carried. */
export interface SessionReplay {
  /** Input ids with their text (a message that carried several inputs: under its first id). */
  inputs: { id: string; text: string }[];
  events: AgentEvent[];
}

/**
 * The transcript of a session file, to print again on resume: the recorded events in order
 * (streaming events were never recorded), the user messages' texts keyed by the inputs they
 * delivered. A message that delivered several inputs together is one user cell, as it was sent.
 * A line that does not parse (a crash mid-write) is skipped.
 */
export function readSessionReplay(path: string): SessionReplay {
  const inputs: { id: string; text: string }[] = [];
  const merged = new Set<string>();
  const events: AgentEvent[] = [];
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { inputs, events };
  }
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof record !== "object" || record === null) continue;
    const entry = record as {
      type?: unknown;
      event?: unknown;
      input_ids?: unknown;
      message?: { role?: unknown; content?: unknown };
    };
    if (entry.type === "message" && Array.isArray(entry.input_ids)) {
      const ids = entry.input_ids.filter((id): id is string => typeof id === "string");
      const first = ids[0];
      if (first === undefined) continue;
      inputs.push({ id: first, text: messageText(entry.message?.content) });
      for (const id of ids.slice(1)) merged.add(id);
    } else if (entry.type === "event" && typeof entry.event === "object" && entry.event !== null) {
      const event = entry.event as AgentEvent;
      if (event.type === "input.delivered") {
        const ids = event.ids.filter((id) => !merged.has(id));
        if (ids.length > 0) events.push({ ...event, ids });
      } else events.push(event);
    }
  }
  return { inputs, events };
}

function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: { type?: unknown; text?: unknown }) =>
      part.type === "text" && typeof part.text === "string" ? part.text : "",
    )
    .filter(Boolean)
    .join("\n");
}

/** The transcript part of the controller a replay needs. */
export interface ReplayTarget {
  transcript: TranscriptModel;
  applyThreadEvent(event: AgentEvent): void;
}

/**
 * Replays a session file into the transcript, keeping only the last cells that fill the screen
 * above the composer; the earlier ones are never laid out or printed, so
 * resuming a long session costs a parse of the file, not a render of its history (ink lays a
 * cell out in about a millisecond: 2,000 cells were seconds).
 */
export function replaySession(
  target: ReplayTarget,
  path: string,
  size: { columns: number; rows: number },
): void {
  const replay = readSessionReplay(path);
  target.transcript.noteInputs(replay.inputs);
  for (const event of replay.events) target.applyThreadEvent(event);
  target.transcript.settle(Date.now());
  // Above the composer, its chrome and the status line, with the "earlier cells" line in view.
  const rows = Math.max(1, size.rows - (COMPOSER_CHROME + 2) - 2);
  target.transcript.keepLast(cellsFitting(target.transcript.committed, { ...size, rows }));
}

/** How many of the last cells fit in `rows` rows (at least one). */
export function cellsFitting(
  cells: readonly Cell[],
  { columns, rows }: { columns: number; rows: number },
): number {
  const width = Math.max(20, columns);
  let used = 0;
  let count = 0;
  for (let index = cells.length - 1; index >= 0; index -= 1) {
    const cell = cells[index];
    if (!cell) break;
    used += layoutCell(cell, { width, now: 0 }).length + gapBefore(cells[index - 1], cell);
    if (used > rows && count > 0) break;
    count += 1;
  }
  return Math.max(1, count);
}
