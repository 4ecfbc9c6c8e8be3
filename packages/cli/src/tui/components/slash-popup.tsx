import type { ReactNode } from "react";
import { layoutSlashPopup, type SlashItem } from "../layout/list-layout.js";
import { StyledLines } from "./styled-lines.js";

export interface SlashPopupProps {
  /** The commands matching `filter`, in registry order. */
  items: readonly SlashItem[];
  selected: number;
  /** What follows the "/" in the composer. */
  filter: string;
  width: number;
  maxHeight: number;
}

/** Slash-command completion under the composer. */
export function SlashPopup({
  items,
  selected,
  filter,
  width,
  maxHeight,
}: SlashPopupProps): ReactNode {
  return <StyledLines lines={layoutSlashPopup(items, selected, filter, width, maxHeight)} />;
}
