import { Box, Static } from "ink";
import { useMemo, type ReactNode } from "react";
import { layoutLiveTail } from "../layout/live-tail-layout.js";
import type { Cell } from "../state/cells.js";
import { CellView } from "./cell-view.js";
import { StyledLines } from "./styled-lines.js";

export interface TranscriptProps {
  /** Final cells, append-only; a new array each time one is added. */
  committed: readonly Cell[];
  width: number;
}

/**
 * The finished transcript, printed once: ink's `<Static>` writes each new cell above the live
 * area and never renders it again, so a long session costs nothing per frame. A cell printed at
 * one width keeps it after a resize (the terminal's scrollback is not redrawn).
 */
export function Transcript({ committed, width }: TranscriptProps): ReactNode {
  return (
    <Static items={committed as Cell[]}>
      {(cell, index) => (
        <CellView key={cell.id} cell={cell} previous={committed[index - 1]} width={width} now={0} />
      )}
    </Static>
  );
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
    () => layoutLiveTail(cells, { width, now, maxHeight, lastCommitted }),
    [cells, width, now, maxHeight, lastCommitted],
  );
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column">
      <StyledLines lines={lines} />
    </Box>
  );
}
