import { Static } from "ink";
import type { ReactNode } from "react";
import type { Cell } from "../state/cells.js";
import { CellView } from "./cell-view.js";

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
