import type { Cell } from "../state/cells.js";
import { advanceSplit, INITIAL_SCAN } from "../state/markdown-split.js";
import { gapBefore, layoutCell } from "./cell-layout.js";
import { segment, type StyledLine } from "./styled-text.js";

interface LiveTailContext {
  width: number;
  now: number;
  maxHeight: number;
  lastCommitted?: Cell | undefined;
}

/** Live-tail layouts computed (cache misses): a key press while a turn streams should add none. */
export const liveTailStats = { layouts: 0 };

interface CachedTail {
  cells: readonly Cell[];
  width: number;
  maxHeight: number;
  lastCommitted: Cell | undefined;
  clock: string;
  rows: StyledLine[];
}
/** The last few layouts (a frame asks for the tail at two heights: its demand and its share). */
const cache: CachedTail[] = [];
const CACHE_SIZE = 4;

/**
 * What `now` changes in these cells' rows: the whole seconds each running command has run
 * (nothing else shows the clock). A frame for a key press has a new `now` but the same rows.
 */
function clockKey(cells: readonly Cell[], now: number): string {
  let key = "";
  for (const cell of cells)
    if (cell.kind === "command" && cell.status === "running")
      key += `${Math.floor((now - (cell.startedAt ?? now)) / 1000)},`;
  return key;
}

/**
 * {@link layoutLiveTail}, remembered: the live cells are a new array only when they changed, so
 * a frame that only the composer changed (a key press while an answer streams) lays nothing out.
 */
export function cachedLiveTail(cells: readonly Cell[], context: LiveTailContext): StyledLine[] {
  const clock = clockKey(cells, context.now);
  const hit = cache.find(
    (entry) =>
      entry.cells === cells &&
      entry.width === context.width &&
      entry.maxHeight === context.maxHeight &&
      entry.lastCommitted === context.lastCommitted &&
      entry.clock === clock,
  );
  if (hit) return hit.rows;
  const rows = layoutLiveTail(cells, context);
  cache.unshift({ cells, ...context, lastCommitted: context.lastCommitted, clock, rows });
  cache.length = Math.min(cache.length, CACHE_SIZE);
  return rows;
}

/**
 * The live cells' rows, the newest `maxHeight` of them (a "… N rows above" marker takes the
 * first row when some are cut). A long streaming markdown text is laid out from its last lines
 * only (re-opening a code fence cut in two), so a frame costs the same however long it gets.
 */
export function layoutLiveTail(cells: readonly Cell[], context: LiveTailContext): StyledLine[] {
  const { width, now, maxHeight } = context;
  if (maxHeight <= 0 || cells.length === 0) return [];
  liveTailStats.layouts += 1;
  const rows: StyledLine[] = [];
  let previous = context.lastCommitted;
  for (const cell of cells) {
    const shown =
      cell.kind === "assistant"
        ? { ...cell, markdown: markdownTail(cell.markdown, maxHeight * 2) }
        : cell;
    for (let gap = gapBefore(previous, cell); gap > 0; gap -= 1) rows.push([]);
    rows.push(...layoutCell(shown, { width, now }));
    previous = cell;
  }
  if (rows.length <= maxHeight) return rows;
  const kept = rows.slice(rows.length - (maxHeight - 1));
  return [[segment(`  … ${rows.length - kept.length} rows above`, "muted")], ...kept];
}

/**
 * The last `keep` source lines of streaming markdown; when the cut falls inside a code fence,
 * the fence's opening line goes first so the rest still renders as code.
 */
export function markdownTail(markdown: string, keep: number): string {
  const lines = markdown.split("\n");
  if (lines.length <= keep) return markdown;
  const cutLine = lines.length - keep;
  const head = `${lines.slice(0, cutLine).join("\n")}\n`;
  const scan = advanceSplit(INITIAL_SCAN, head);
  const tail = lines.slice(cutLine).join("\n");
  if (scan.fence === null) return tail;
  const opener =
    [...lines.slice(0, cutLine)]
      .reverse()
      .find((line) => line.trimStart().startsWith(scan.fence ?? "")) ?? scan.fence;
  return `${opener}\n${tail}`;
}
