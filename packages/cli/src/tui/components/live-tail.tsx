import { Box } from "ink";
import { useMemo, type ReactNode } from "react";
import { layoutLiveTail } from "../layout/live-tail-layout.js";
import type { Cell } from "../state/cells.js";
import { StyledLines } from "./styled-lines.js";

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
