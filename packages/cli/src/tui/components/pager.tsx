import type { ReactNode } from "react";
import { pagerWindow } from "../layout/pager-layout.js";
import type { StyledLine } from "../layout/styled-text.js";
import { StyledLines } from "./styled-lines.js";

export interface PagerProps {
  title: string;
  /** Everything to page through (`expandCell(cell, width, now)`, a diff, a transcript). */
  lines: readonly StyledLine[];
  /** The first row shown; the key handling moves it (clamped here). */
  offset: number;
  width: number;
  /** The terminal's rows (the pager fills the screen: run it in the alternate screen). */
  height: number;
}

/** A full-screen view of long output: a title, a window of rows, a position and keys row. */
export function Pager({ title, lines, offset, width, height }: PagerProps): ReactNode {
  return <StyledLines lines={pagerWindow(title, lines, offset, width, height)} />;
}
