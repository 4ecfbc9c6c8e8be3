import type { ReactNode } from "react";
import { layoutMentionPopup } from "../layout/list-layout.js";
import { StyledLines } from "./styled-lines.js";

export interface MentionPopupProps {
  /** Repository paths matching `query`, best first (the mention index's results). */
  paths: readonly string[];
  /** Index of the highlighted path. */
  selected: number;
  /** What follows the `@` in the composer. */
  query: string;
  width: number;
  /** Rows it may use (height budget's `overlay`). */
  maxHeight: number;
}

/** `@` file completion under the composer. */
export function MentionPopup({
  paths,
  selected,
  query,
  width,
  maxHeight,
}: MentionPopupProps): ReactNode {
  return <StyledLines lines={layoutMentionPopup(paths, selected, query, width, maxHeight)} />;
}
