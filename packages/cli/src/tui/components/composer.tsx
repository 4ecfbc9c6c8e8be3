import { Box, Text, useCursor } from "ink";
import type { ReactNode } from "react";
import { cursorCell, layoutComposer, type ComposerView } from "../layout/composer-layout.js";
import { COMPOSER_CHROME } from "../state/height-budget.js";
import { truncateLine } from "../state/text-layout.js";
import { StyledLines } from "./styled-lines.js";
import { useTheme } from "./theme-context.js";

export interface ComposerProps extends ComposerView {
  width: number;
  /** Rows it may use, chrome included (the height budget's `composer`). */
  maxHeight: number;
  /** Shown, dimmed, while the buffer is empty. */
  placeholder?: string;
  /** The key hint under it ("Enter send · Tab queue · Esc interrupt"). */
  hint?: string;
  /** Draw the cursor (false while another panel has the focus). Default true. */
  focused?: boolean;
  /**
   * Rows of live output above the composer. When given, the terminal's real cursor is placed on
   * the composer's cursor (ink `useCursor`), so an input method (IME) composes in place;
   * without it, only the drawn (reverse-video) cursor shows.
   */
  rowsAbove?: number;
}

/**
 * The input box: a rule above and below the text, the text with its cursor, a hint row. It
 * draws the buffer it is given; editing belongs to the composer buffer and the reducer.
 */
export function Composer(props: ComposerProps): ReactNode {
  const theme = useTheme();
  const { width, maxHeight, hint } = props;
  const rows = layoutComposer(props, {
    width,
    maxRows: Math.max(1, maxHeight - COMPOSER_CHROME),
    focused: props.focused ?? true,
    ...(props.placeholder === undefined ? {} : { placeholder: props.placeholder }),
  });
  const { setCursorPosition } = useCursor();
  const cell =
    props.rowsAbove === undefined || props.focused === false ? undefined : cursorCell(rows);
  // Below the rule above the text; ink applies the position when this render commits.
  setCursorPosition(
    cell && props.rowsAbove !== undefined
      ? { x: cell.column, y: props.rowsAbove + 1 + cell.row }
      : undefined,
  );
  const rule = "─".repeat(Math.max(1, width));
  return (
    <Box flexDirection="column">
      <Text {...theme.style("muted")}>{rule}</Text>
      <StyledLines lines={rows} />
      <Text {...theme.style("muted")}>{rule}</Text>
      <Text {...theme.style("muted")} wrap="truncate-end">
        {truncateLine(hint ?? " ", width)}
      </Text>
    </Box>
  );
}
