import stringWidth from "string-width";

/** Cuts one line to `width` columns, ending in `…` when cut. */
export function truncateLine(line: string, width: number): string {
  const columns = Math.max(0, Math.floor(width));
  if (stringWidth(line) <= columns) return line;
  if (columns <= 1) return columns === 1 ? "…" : "";
  let kept = "";
  let used = 0;
  for (const char of line) {
    const charWidth = stringWidth(char);
    if (used + charWidth > columns - 1) break;
    kept += char;
    used += charWidth;
  }
  return `${kept}…`;
}

/** Visible width of a string in terminal columns. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/** A fold of many lines: the first `head`, a count of the hidden ones, the last `tail`. */
export interface Folded {
  head: string[];
  hidden: number;
  tail: string[];
}

/** Keeps `head` lines and `tail` lines; everything fits when there are at most head+tail+1. */
export function foldLines(lines: readonly string[], head: number, tail: number): Folded {
  if (lines.length <= head + tail + 1) return { head: [...lines], hidden: 0, tail: [] };
  return {
    head: lines.slice(0, head),
    hidden: lines.length - head - tail,
    tail: tail > 0 ? lines.slice(-tail) : [],
  };
}

/** The lines of a text, without the trailing empty line a final newline makes. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
