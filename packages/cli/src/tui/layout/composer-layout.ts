import stringWidth from "string-width";
import { showControls } from "../state/sanitize.js";
import { GLYPHS, type StyleRole } from "../theme.js";
import {
  lineWidth,
  segment,
  truncateStyled,
  type Segment,
  type StyledLine,
} from "./styled-text.js";

/** What the composer shows: the buffer's lines, where the cursor is, which ranges are atoms. */
export interface ComposerView {
  /** The buffer's lines as shown (a paste atom as its label, e.g. "[Pasted 120 lines]"). */
  lines: readonly string[];
  /** Cursor: line index, and column in code points of that line. */
  cursor: { line: number; column: number };
  /** Ranges (code points, end exclusive) drawn as atoms: pastes, @mentions. */
  atoms?: readonly { line: number; start: number; end: number }[];
}

export interface ComposerLayout {
  width: number;
  /** Text rows it may use (the composer's budget minus its chrome). */
  maxRows: number;
  placeholder?: string;
  /** Whether the cursor is drawn (false while an approval prompt has the focus). */
  focused: boolean;
}

/**
 * The composer's text rows: a prompt on the first row, each line wrapped at the width (anywhere:
 * the cursor must map to one cell), the cursor drawn as a reversed cell, atoms in the accent
 * style. When the text is taller than `maxRows`, the rows around the cursor are shown.
 */
export function layoutComposer(view: ComposerView, layout: ComposerLayout): StyledLine[] {
  const textWidth = Math.max(1, layout.width - 2);
  const empty = view.lines.length === 0 || (view.lines.length === 1 && view.lines[0] === "");
  const prompt = segment(`${GLYPHS.prompt} `, "accent");
  if (empty) {
    const cursor = layout.focused ? [segment(" ", "cursor")] : [];
    const placeholder = layout.placeholder ? [segment(layout.placeholder, "placeholder")] : [];
    const first = truncateStyled([prompt, ...cursor, ...placeholder], layout.width);
    return [first];
  }
  const rows: StyledLine[] = [];
  let cursorRow = 0;
  view.lines.forEach((line, lineIndex) => {
    // A pasted control character shows as a symbol in its place (the cursor indexes characters).
    const chars = Array.from(line).map(showControls);
    const isCursorLine = layout.focused && lineIndex === view.cursor.line;
    const column = Math.min(Math.max(0, view.cursor.column), chars.length);
    if (isCursorLine && column === chars.length) chars.push(" ");
    let row: Segment[] = [];
    let used = 0;
    const atoms = (view.atoms ?? []).filter((atom) => atom.line === lineIndex);
    chars.forEach((char, index) => {
      const width = Math.max(1, stringWidth(char));
      if (used + width > textWidth && used > 0) {
        rows.push(row);
        row = [];
        used = 0;
      }
      const atCursor = isCursorLine && index === column;
      if (atCursor) cursorRow = rows.length;
      const inAtom = atoms.some((atom) => index >= atom.start && index < atom.end);
      const role: StyleRole = atCursor ? "cursor" : inAtom ? "accent" : "text";
      const last = row.at(-1);
      if (last?.role === role) last.text += char;
      else row.push(segment(char, role));
      used += width;
    });
    rows.push(row);
  });
  const room = Math.max(1, layout.maxRows);
  const start = Math.min(Math.max(0, cursorRow - room + 1), Math.max(0, rows.length - room));
  return rows
    .slice(start, start + room)
    .map((row, index) => [start + index === 0 ? prompt : segment("  "), ...row]);
}

/** Text rows the composer would like at `width` (before the budget caps it). */
export function composerRows(view: ComposerView, width: number): number {
  const textWidth = Math.max(1, width - 2);
  return Math.max(
    1,
    view.lines.reduce(
      (sum, line) => sum + Math.max(1, Math.ceil((stringWidth(line) + 1) / textWidth)),
      0,
    ),
  );
}

/**
 * Where the drawn cursor is in laid-out composer rows: the row, and the column (terminal cells
 * before it). The component puts the terminal's own cursor there, which is where an input
 * method draws what is being composed.
 */
export function cursorCell(
  rows: readonly StyledLine[],
): { row: number; column: number } | undefined {
  for (const [row, line] of rows.entries()) {
    const index = line.findIndex((part) => part.role === "cursor");
    if (index >= 0) return { row, column: lineWidth(line.slice(0, index)) };
  }
  return undefined;
}
