import type { ReactNode } from "react";
import { layoutRolePanel } from "../layout/role-panel-layout.js";
import type { RoleRow } from "../state/role-activity.js";
import { StyledLines } from "./styled-lines.js";

export interface RolePanelProps {
  /** `roleRows(state)`: the roles at work. */
  rows: readonly RoleRow[];
  now: number;
  width: number;
  /** Rows it may use (height budget); fewer than the roles: one summary row. */
  maxHeight: number;
  /** The role expanded into its current output (Ctrl+T toggles; the key handling sets this). */
  expanded?: string | null;
  /** The role marked as the one Ctrl+T expands. */
  selected?: string | null;
  /** Animate the spinner; pass false under INK_SCREEN_READER (a still `▶`). Default true. */
  animate?: boolean;
}

/** The live panel: every role at work, its model, profile, elapsed time and tokens. */
export function RolePanel({
  rows,
  now,
  width,
  maxHeight,
  expanded,
  selected,
  animate,
}: RolePanelProps): ReactNode {
  const lines = layoutRolePanel(rows, { width, now, maxHeight, expanded, selected, animate });
  return lines.length > 0 ? <StyledLines lines={lines} /> : null;
}
