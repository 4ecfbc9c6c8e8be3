import type { StyleRole } from "../theme.js";
import { segment, truncateStyled, type StyledLine } from "./styled-text.js";

/** A diff's size: lines added and removed. */
export function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++") || line.startsWith("---")) continue;
    if (line.startsWith("+")) added += 1;
    else if (line.startsWith("-")) removed += 1;
  }
  return { added, removed };
}

/**
 * A unified diff as rows: the line number in the file (new side; old side for a removal), the
 * `+`/`-` mark (kept without colour, so NO_COLOR still reads), the text. File headers are left
 * out (the cell names the file); rows are cut, not wrapped.
 */
export function layoutDiff(diff: string, width: number): StyledLine[] {
  const lines: StyledLine[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const raw of diff.replace(/\n$/, "").split("\n")) {
    if (
      raw.startsWith("+++") ||
      raw.startsWith("---") ||
      raw.startsWith("diff ") ||
      raw.startsWith("index ")
    )
      continue;
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/.exec(raw);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      lines.push(truncateStyled([segment(`     ${raw}`, "diffHunk")], width));
      continue;
    }
    const mark = raw[0] ?? " ";
    let number: number;
    let role: StyleRole;
    if (mark === "+") {
      number = newLine++;
      role = "diffAdd";
    } else if (mark === "-") {
      number = oldLine++;
      role = "diffRemove";
    } else if (mark === "\\") {
      lines.push(truncateStyled([segment(`     ${raw}`, "muted")], width));
      continue;
    } else {
      number = newLine++;
      oldLine++;
      role = "diffContext";
    }
    const gutter = segment(`${String(number).padStart(4)} `, "muted");
    const body = segment(`${mark === " " ? " " : mark} ${raw.slice(1)}`, role);
    lines.push(truncateStyled([gutter, body], width));
  }
  return lines;
}
