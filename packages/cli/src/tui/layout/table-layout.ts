import type { Tokens } from "marked";
import {
  lineText,
  lineWidth,
  segment,
  wrapStyled,
  type Segment,
  type StyledLine,
} from "./styled-text.js";

const GAP = "  ";

/**
 * A markdown table: columns sized to their content when the table fits the width, header bold
 * over a rule; too wide a table becomes one block per row ("Header: value" lines), which reads
 * better in a narrow terminal than cells cut to a few characters.
 */
export function tableLines(
  table: Tokens.Table,
  width: number,
  cellSegments: (cell: Tokens.TableCell) => Segment[],
): StyledLine[] {
  const header = table.header.map(cellSegments);
  const rows = table.rows.map((row) => row.map(cellSegments));
  const widths = header.map((cell, column) =>
    Math.max(lineWidth(flat(cell)), ...rows.map((row) => lineWidth(flat(row[column] ?? [])))),
  );
  const total =
    widths.reduce((sum, columnWidth) => sum + columnWidth, 0) + GAP.length * (widths.length - 1);
  if (total <= width) {
    const line = (cells: Segment[][], role?: "strong"): StyledLine =>
      cells.flatMap((cell, column) => {
        const text = flat(cell);
        const pad = " ".repeat(Math.max(0, (widths[column] ?? 0) - lineWidth(text)));
        const align = table.align[column];
        const parts = role ? text.map((part) => ({ ...part, role })) : text;
        const last = column === cells.length - 1;
        if (align === "right") return [segment(pad), ...parts, ...(last ? [] : [segment(GAP)])];
        // The last column needs no padding after it.
        return last ? parts : [...parts, segment(pad + GAP)];
      });
    return [
      line(header, "strong"),
      [segment("─".repeat(Math.min(width, total)), "muted")],
      ...rows.map((row) => line(row)),
    ];
  }
  const out: StyledLine[] = [];
  rows.forEach((row, index) => {
    if (index > 0) out.push([]);
    row.forEach((cell, column) => {
      const label = [segment(`${lineText(flat(header[column] ?? []))}: `, "strong")];
      out.push(...wrapStyled(cell, width, { first: label, rest: [segment("  ")] }));
    });
  });
  return out;
}

/** A cell's segments on one row (a `<br>` in a cell becomes a space). */
function flat(cell: Segment[]): Segment[] {
  return cell.map((part) => ({ ...part, text: part.text.replace(/\n/g, " ") }));
}
