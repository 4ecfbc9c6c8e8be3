import type { ReactNode } from "react";
import { layoutListPicker, type PickerItem } from "../layout/list-layout.js";
import { StyledLines } from "./styled-lines.js";

export interface ListPickerProps {
  title: string;
  /** The entries matching `filter`. */
  items: readonly PickerItem[];
  selected: number;
  filter: string;
  width: number;
  maxHeight: number;
  /** The key hint row (default "↑↓ select · Enter choose · Esc close"). */
  hint?: string;
}

/** A picker (/model, /profile, /resume): a title, a filtered list, the keys. */
export function ListPicker(props: ListPickerProps): ReactNode {
  const { title, items, selected, filter, width, maxHeight, hint } = props;
  return (
    <StyledLines lines={layoutListPicker(title, items, selected, filter, width, maxHeight, hint)} />
  );
}
