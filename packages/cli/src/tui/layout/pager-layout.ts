import type { Cell } from "../state/cells.js";
import { splitLines } from "../state/text-layout.js";
import { layoutCell } from "./cell-layout.js";
import { layoutDiff } from "./diff-layout.js";
import { layoutMarkdown } from "./markdown-layout.js";
import { segment, truncateStyled, wrapStyled, type StyledLine } from "./styled-text.js";

/**
 * Everything a cell folds away, for the pager (Ctrl+O): a command's whole output, the whole
 * reasoning, every line of a diff. A printed cell cannot grow in place (it is in the
 * terminal's scrollback), so "expand" opens it here. `now` (epoch ms) times a cell still running.
 */
export function expandCell(cell: Cell, width: number, now = 0): StyledLine[] {
  switch (cell.kind) {
    case "command":
      return [
        ...wrapStyled([segment(`$ ${cell.command}`, "strong")], width, { hard: true }),
        ...splitLines(cell.output).flatMap((line) =>
          wrapStyled([segment(line)], width, { hard: true }),
        ),
        [segment(cell.exitCode === undefined ? cell.status : `exit ${cell.exitCode}`, "muted")],
      ];
    case "reasoning":
      return layoutMarkdown(cell.text, width);
    case "file-change":
      return cell.changes.flatMap((change) => [
        [segment(`${change.kind} ${change.path}`, "strong")],
        ...(change.diff === undefined
          ? [[segment("(no diff)", "muted")]]
          : layoutDiff(change.diff, width)),
        [],
      ]);
    default:
      return layoutCell(cell, { width, now });
  }
}

export interface PagerWindow {
  lines: StyledLine[];
  /** The first row shown (clamped). */
  offset: number;
  footer: StyledLine;
}

/** The rows of a pager: `height - 2` content rows from `offset`, a title and a footer row. */
export function pagerWindow(
  title: string,
  lines: readonly StyledLine[],
  offset: number,
  width: number,
  height: number,
): StyledLine[] {
  const rows = Math.max(1, height - 2);
  const start = Math.min(Math.max(0, offset), Math.max(0, lines.length - rows));
  const shown = lines.slice(start, start + rows).map((line) => truncateStyled(line, width));
  const last = Math.min(lines.length, start + rows);
  const position = lines.length === 0 ? "empty" : `lines ${start + 1}-${last} of ${lines.length}`;
  return [
    truncateStyled([segment(title, "strong")], width),
    ...shown,
    ...Array.from({ length: rows - shown.length }, (): StyledLine => []),
    truncateStyled([segment(`${position} · ↑↓ PgUp PgDn scroll · q close`, "muted")], width),
  ];
}
