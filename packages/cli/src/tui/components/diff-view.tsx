import { useMemo, type ReactNode } from "react";
import { layoutDiff } from "../layout/diff-layout.js";
import { segment, type StyledLine } from "../layout/styled-text.js";
import { GLYPHS } from "../theme.js";
import { StyledLines } from "./styled-lines.js";

export interface DiffViewProps {
  /** A unified diff (clean text). */
  diff: string;
  width: number;
  /** Rows before "… +N lines"; default: all. */
  maxLines?: number;
}

/**
 * A unified diff: hunk headers, line numbers, `+`/`-` lines green/red and context dim; the
 * marks stay as text, so the diff reads the same without colour.
 */
export function DiffView({ diff, width, maxLines }: DiffViewProps): ReactNode {
  const lines = useMemo((): StyledLine[] => {
    const all = layoutDiff(diff, width);
    if (maxLines === undefined || all.length <= maxLines) return all;
    return [
      ...all.slice(0, maxLines),
      [segment(`     ${GLYPHS.ellipsis} +${all.length - maxLines} lines`, "muted")],
    ];
  }, [diff, width, maxLines]);
  return <StyledLines lines={lines} />;
}
