import { Box, Static } from "ink";
import { useLayoutEffect, useMemo, useRef, type ReactNode } from "react";
import { cachedLiveTail } from "../layout/live-tail-layout.js";
import type { Cell } from "../state/cells.js";
import { CellView } from "./cell-view.js";
import { StyledLines } from "./styled-lines.js";

export interface TranscriptProps {
  /** The last final cells, append-only; a new array each time one is added. */
  committed: readonly Cell[];
  /** How many final cells came before `committed[0]` (no longer held in memory). */
  committedBefore?: number;
  width: number;
}

/**
 * The finished transcript, printed once: ink's `<Static>` writes each new cell above the live
 * area and never renders it again, so a long session costs nothing per frame. A cell printed at
 * one width keeps it after a resize (the terminal's scrollback is not redrawn).
 *
 * `<Static>` prints `items.slice(n)` where n is the length it saw last, so it gets an array as
 * long as the whole transcript with holes where cells were dropped (`map` skips holes: nothing
 * is rendered for them). Cells dropped before they were ever printed (a resumed session's long
 * history, Ctrl+L after a long session) show as one line saying how many.
 */
export function Transcript({ committed, committedBefore = 0, width }: TranscriptProps): ReactNode {
  // The transcript length this instance handed to <Static> already (it printed those).
  const printed = useRef(0);
  const items = useMemo(() => {
    const all = new Array<Cell>(committedBefore + committed.length);
    committed.forEach((cell, index) => (all[committedBefore + index] = cell));
    const unseen = committedBefore - printed.current;
    if (unseen > 0) all[committedBefore - 1] = earlierCells(unseen);
    return all;
  }, [committed, committedBefore]);
  useLayoutEffect(() => {
    printed.current = items.length;
  }, [items]);
  return (
    <Static items={items}>
      {(cell, index) => (
        <CellView key={cell.id} cell={cell} previous={items[index - 1]} width={width} now={0} />
      )}
    </Static>
  );
}

/** The line standing for cells not printed (they are in the session file). */
function earlierCells(count: number): Cell {
  return {
    kind: "notice",
    id: `earlier_${count}`,
    tone: "muted",
    text: `… ${count.toLocaleString("en-US")} earlier cell${count === 1 ? "" : "s"} not shown (the session file keeps them)`,
  };
}

export interface LiveTailProps {
  /** Cells still changing (the transcript model's `live()`). */
  cells: readonly Cell[];
  /** The last committed cell (spacing above the first live cell). */
  lastCommitted?: Cell | undefined;
  width: number;
  now: number;
  /** Rows it may use (the height budget's `tail`); the newest rows are kept. */
  maxHeight: number;
}

/** The live end of the transcript, clipped from the top so the newest rows always show. */
export function LiveTail({
  cells,
  lastCommitted,
  width,
  now,
  maxHeight,
}: LiveTailProps): ReactNode {
  const lines = useMemo(
    () => cachedLiveTail(cells, { width, now, maxHeight, lastCommitted }),
    [cells, width, now, maxHeight, lastCommitted],
  );
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      <StyledLines lines={lines} />
    </Box>
  );
}
