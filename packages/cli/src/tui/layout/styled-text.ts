import stringWidth from "string-width";
import type { StyleRole } from "../theme.js";

/** A run of text in one style role. */
export interface Segment {
  text: string;
  role?: StyleRole;
}

/**
 * One terminal row, never wider than the width it was laid out for: the TUI lays text out
 * itself, so every block's height is known before ink draws it (the live area's budget and
 * its clipping depend on that).
 */
export type StyledLine = Segment[];

/** Plain text of a line. */
export function lineText(line: StyledLine): string {
  return line.map(({ text }) => text).join("");
}

/** Plain text of lines, one per row (tests, the screen reader, the pager). */
export function linesText(lines: readonly StyledLine[]): string {
  return lines.map(lineText).join("\n");
}

export function segment(text: string, role?: StyleRole): Segment {
  return role === undefined ? { text } : { text, role };
}

/** Width of a line in columns. */
export function lineWidth(line: StyledLine): number {
  return line.reduce((sum, { text }) => sum + stringWidth(text), 0);
}

interface WrapOptions {
  /** Put before the first row (a bullet, a prompt). */
  first?: StyledLine;
  /** Put before every other row (the indent under the bullet); default: spaces as wide as `first`. */
  rest?: StyledLine;
  /** Break anywhere (code, commands) instead of between words. */
  hard?: boolean;
}

/**
 * Word-wraps styled text to `width` columns (words longer than a row are cut); `\n` starts a
 * new row. Leading spaces of a wrapped row are dropped, as ink does.
 */
export function wrapStyled(
  segments: readonly Segment[],
  width: number,
  options: WrapOptions = {},
): StyledLine[] {
  const first = options.first ?? [];
  const rest = options.rest ?? (first.length ? [segment(" ".repeat(lineWidth(first)))] : []);
  const lines: StyledLine[] = [];
  let current: StyledLine = [];
  let used = 0;
  // A row begun by wrapping drops its leading spaces; one begun by `\n` (or the first) keeps them.
  let wrapped = false;
  const room = (): number => Math.max(1, width - lineWidth(lines.length === 0 ? first : rest));
  const endRow = (byWrap: boolean): void => {
    lines.push(merge([...(lines.length === 0 ? first : rest), ...trimEnd(current)]));
    current = [];
    used = 0;
    wrapped = byWrap;
  };
  const put = (text: string, role: StyleRole | undefined): void => {
    push(current, text, role);
    used += stringWidth(text);
  };
  for (const { text, role } of segments) {
    text.split("\n").forEach((part, index) => {
      if (index > 0) endRow(false);
      for (const token of options.hard ? chars(part) : words(part)) {
        const tokenWidth = stringWidth(token);
        if (token.trim() === "" && !options.hard) {
          if (used === 0 && wrapped) continue;
          if (used + tokenWidth <= room()) put(token, role);
          else endRow(true);
          continue;
        }
        if (used + tokenWidth <= room()) {
          put(token, role);
          continue;
        }
        if (used > 0) endRow(true);
        if (tokenWidth <= room()) {
          put(token, role);
          continue;
        }
        // Wider than a row: cut it.
        for (const char of chars(token)) {
          if (used > 0 && used + stringWidth(char) > room()) endRow(true);
          put(char, role);
        }
      }
    });
  }
  if (used > 0 || current.length > 0 || !wrapped || lines.length === 0) endRow(false);
  return lines;
}

/** Cuts a styled line to `width` columns, ending with `…` when cut. */
export function truncateStyled(line: StyledLine, width: number): StyledLine {
  if (lineWidth(line) <= width) return line;
  const out: StyledLine = [];
  let used = 0;
  for (const { text, role } of line) {
    for (const char of chars(text)) {
      const charWidth = stringWidth(char);
      if (used + charWidth > width - 1) {
        out.push(segment("…", role));
        return merge(out);
      }
      push(out, char, role);
      used += charWidth;
    }
  }
  return merge(out);
}

/** Prefixes each line (a quote bar, an indent). */
export function prefixLines(
  lines: readonly StyledLine[],
  first: StyledLine,
  rest: StyledLine = first,
): StyledLine[] {
  // An empty row gets the prefix without its trailing blanks (a bar stays, an indent goes).
  const bare = trimEnd(rest);
  return lines.map((line, index) =>
    index > 0 && line.length === 0 ? bare : joinPrefix(index === 0 ? first : rest, line),
  );
}

function joinPrefix(prefix: StyledLine, line: StyledLine): StyledLine {
  return merge([...prefix, ...line]);
}

function push(line: StyledLine, text: string, role: StyleRole | undefined): void {
  const last = line.at(-1);
  if (last && last.role === role) last.text += text;
  else line.push(segment(text, role));
}

function merge(line: StyledLine): StyledLine {
  const out: StyledLine = [];
  for (const { text, role } of line) if (text) push(out, text, role);
  return out;
}

function trimEnd(line: StyledLine): StyledLine {
  const out = line.map((part) => ({ ...part }));
  while (out.length > 0) {
    const last = out.at(-1);
    if (!last) break;
    last.text = last.text.replace(/\s+$/, "");
    if (last.text) break;
    out.pop();
  }
  return out;
}

function words(text: string): string[] {
  return text.match(/\s+|\S+/g) ?? [];
}

function chars(text: string): string[] {
  return Array.from(text);
}
