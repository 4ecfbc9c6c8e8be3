import { Box } from "ink";
import { useMemo, type ReactNode } from "react";
import { gapBefore, layoutCell } from "../layout/cell-layout.js";
import type { Cell } from "../state/cells.js";
import { StyledLines } from "./styled-lines.js";

export interface CellViewProps {
  cell: Cell;
  /** The cell above it (spacing: one-line annotations sit together). */
  previous?: Cell | undefined;
  width: number;
  /** Epoch ms: elapsed times of live cells. */
  now: number;
}

/** One transcript cell (any kind). */
export function CellView({ cell, previous, width, now }: CellViewProps): ReactNode {
  const lines = useMemo(() => layoutCell(cell, { width, now }), [cell, width, now]);
  return (
    <Box flexDirection="column" marginTop={gapBefore(previous, cell)}>
      <StyledLines lines={lines} />
    </Box>
  );
}
