import { cleanText } from "../state/sanitize.js";
import { GLYPHS } from "../theme.js";
import { segment, wrapStyled, type StyledLine } from "./styled-text.js";

/** An input waiting for the model, as the preview needs it (a `PendingInput` fits). */
export interface PendingItem {
  id: string;
  text: string;
  state: "pending_steer" | "queued" | "delivered" | "restored";
  /** A steer that missed its turn: it is sent when the turn ends. */
  deferred: boolean;
}

/** The footer while anything waits. */
export const PULL_BACK_HINT = "Alt+Up edit the last one";

/** Rows a message shows before "…" (Codex's preview limit). */
export const PREVIEW_LINES_PER_MESSAGE = 3;

const SECTIONS = [
  {
    key: "steer",
    title: "Sent after the next tool call",
    note: " (Esc interrupts and puts it back)",
  },
  { key: "end", title: "Sent when this turn ends", note: "" },
  { key: "queued", title: "Queued for the next turn", note: "" },
] as const;

function sectionOf(item: PendingItem): (typeof SECTIONS)[number]["key"] | undefined {
  if (item.state === "pending_steer") return "steer";
  if (item.state !== "queued") return undefined;
  return item.deferred ? "end" : "queued";
}

/**
 * Codex's pending-input preview: steers waiting for the next tool call, steers that missed the
 * turn (sent when it ends), follow-ups queued for the next turn; each message at most three rows
 * then "…"; the Alt+Up hint (the last waiting input back into the composer).
 */
export function layoutPending(
  items: readonly PendingItem[],
  width: number,
  maxHeight: number,
): StyledLine[] {
  const rows: StyledLine[] = [];
  for (const section of SECTIONS) {
    const members = items.filter((item) => sectionOf(item) === section.key);
    if (members.length === 0) continue;
    rows.push([
      segment(`${GLYPHS.bullet} `, "muted"),
      segment(section.title, "strong"),
      segment(section.note, "muted"),
    ]);
    for (const item of members) {
      const wrapped = wrapStyled([segment(cleanText(item.text).replace(/\n+$/, ""))], width, {
        first: [segment(`  ${GLYPHS.steer} `, "accent")],
        rest: [segment("    ")],
      });
      rows.push(...wrapped.slice(0, PREVIEW_LINES_PER_MESSAGE));
      if (wrapped.length > PREVIEW_LINES_PER_MESSAGE)
        rows.push([segment(`    ${GLYPHS.ellipsis}`, "muted")]);
    }
  }
  if (rows.length === 0) return [];
  // Any waiting input can be taken back (the thread's pullBack restores steers and queued alike).
  rows.push([segment(`  ${PULL_BACK_HINT}`, "muted")]);
  if (rows.length <= maxHeight) return rows;
  if (maxHeight <= 0) return [];
  const waiting = items.filter((item) => sectionOf(item) !== undefined).length;
  return [
    ...rows.slice(0, maxHeight - 1),
    [segment(`  ${GLYPHS.ellipsis} ${waiting} messages waiting in all`, "muted")],
  ];
}
