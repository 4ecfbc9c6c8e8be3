import type { CommandCell, FileChangeCell, ToolCell } from "../state/cells.js";
import { formatDuration, formatElapsed } from "../state/format.js";
import { foldLines, splitLines } from "../state/text-layout.js";
import { GLYPHS, type StyleRole } from "../theme.js";
import type { CellContext } from "./cell-layout.js";
import { diffStat, layoutDiff } from "./diff-layout.js";
import {
  segment,
  truncateStyled,
  wrapStyled,
  type Segment,
  type StyledLine,
} from "./styled-text.js";

/** Output rows a finished command shows: the first few and the last few (Ctrl+O shows all). */
export const COMMAND_HEAD_LINES = 2;
export const COMMAND_TAIL_LINES = 3;
/** Output rows a running command shows: its latest. */
export const RUNNING_TAIL_LINES = 3;
/** Diff rows a file change shows before "… +N lines". */
export const DIFF_MAX_LINES = 40;
const COMMAND_MAX_ROWS = 4;

/**
 * A command as Codex shows it: a status glyph and verb, the command, its output folded to the
 * first and last lines, then exit code and run time.
 */
export function commandLines(cell: CommandCell, { width, now }: CellContext): StyledLine[] {
  const [glyph, verb, role] = commandHeader(cell);
  const header = wrapStyled([segment(verb, "strong"), segment(cell.command, "text")], width, {
    first: [segment(`${glyph} `, role)],
    rest: [segment("  ")],
  });
  const shownHeader =
    header.length > COMMAND_MAX_ROWS
      ? [
          ...header.slice(0, COMMAND_MAX_ROWS - 1),
          truncateStyled(
            [...(header[COMMAND_MAX_ROWS - 1] ?? []), segment(GLYPHS.ellipsis)],
            width,
          ),
        ]
      : header;
  const output = splitLines(cell.output.replace(/\s+$/, ""));
  const rows: StyledLine[] = [];
  const outputRow = (line: string): StyledLine =>
    truncateStyled([segment("  │ ", "muted"), segment(line, "muted")], width);
  if (cell.status === "running") {
    rows.push(...output.slice(-RUNNING_TAIL_LINES).map(outputRow));
    rows.push([segment(`  └ ${formatElapsed(now - (cell.startedAt ?? now))}`, "muted")]);
    return [...shownHeader, ...rows];
  }
  if (output.length === 0) rows.push([segment("  │ (no output)", "muted")]);
  const folded = foldLines(output, COMMAND_HEAD_LINES, COMMAND_TAIL_LINES);
  rows.push(...folded.head.map(outputRow));
  if (folded.hidden > 0)
    rows.push([
      segment(`  │ ${GLYPHS.ellipsis} +${folded.hidden} lines (Ctrl+O to expand)`, "muted"),
    ]);
  rows.push(...folded.tail.map(outputRow));
  rows.push(commandFooter(cell));
  return [...shownHeader, ...rows];
}

function commandHeader(cell: CommandCell): [string, string, StyleRole] {
  switch (cell.status) {
    case "running":
      return [GLYPHS.running, "Running ", "accent"];
    case "completed":
      return [GLYPHS.ok, "Ran ", "success"];
    case "failed":
      return [GLYPHS.fail, "Ran ", "error"];
    case "declined":
      return [GLYPHS.fail, "Declined ", "warning"];
    case "interrupted":
      return [GLYPHS.fail, "Interrupted ", "warning"];
  }
}

function commandFooter(cell: CommandCell): StyledLine {
  const parts: Segment[] = [segment("  └ ", "muted")];
  if (cell.exitCode !== undefined)
    parts.push(segment(`exit ${cell.exitCode}`, cell.exitCode === 0 ? "success" : "error"));
  else
    parts.push(
      segment(
        cell.status === "interrupted" ? "interrupted" : cell.status,
        cell.status === "completed" ? "success" : "warning",
      ),
    );
  if (cell.durationMs !== undefined)
    parts.push(segment(` · ${formatDuration(cell.durationMs)}`, "muted"));
  return parts;
}

/** Result rows a finished tool shows (an MCP tool's text): the first few and the last. */
export const TOOL_RESULT_HEAD_LINES = 2;
export const TOOL_RESULT_TAIL_LINES = 1;

/**
 * Another tool: one row (its status, name and main argument), its result folded under it (an
 * MCP tool's text), and its error.
 */
export function toolLines(cell: ToolCell, width: number): StyledLine[] {
  const glyph =
    cell.status === "running"
      ? segment(`${GLYPHS.running} `, "accent")
      : cell.status === "completed"
        ? segment(`${GLYPHS.ok} `, "success")
        : segment(`${GLYPHS.fail} `, "error");
  const row = truncateStyled(
    [glyph, segment(cell.tool, "strong"), segment(cell.summary ? ` ${cell.summary}` : "", "muted")],
    width,
  );
  const rows = [row, ...resultLines(cell, width)];
  if (!cell.error) return rows;
  return [
    ...rows,
    ...wrapStyled([segment(cell.error, "error")], width, {
      first: [segment("  └ ", "muted")],
      rest: [segment("    ")],
    }),
  ];
}

function resultLines(cell: ToolCell, width: number): StyledLine[] {
  if (cell.result === undefined || cell.status === "running") return [];
  const output = splitLines(cell.result.replace(/\s+$/, ""));
  const folded = foldLines(output, TOOL_RESULT_HEAD_LINES, TOOL_RESULT_TAIL_LINES);
  const row = (line: string): StyledLine =>
    truncateStyled([segment("  │ ", "muted"), segment(line, "muted")], width);
  return [
    ...folded.head.map(row),
    ...(folded.hidden > 0
      ? [[segment(`  │ ${GLYPHS.ellipsis} +${folded.hidden} lines`, "muted")]]
      : []),
    ...folded.tail.map(row),
  ];
}

const CHANGE_VERBS = { add: "Added", delete: "Deleted", update: "Edited" } as const;

/** A patch: each file with its verb and size, then its diff (when the thread sent one). */
export function fileChangeLines(cell: FileChangeCell, width: number): StyledLine[] {
  if (cell.changes.length === 0) {
    return [
      [
        segment(`${GLYPHS.fail} `, "error"),
        segment(cell.status === "failed" ? "Patch failed to apply" : "Empty patch", "error"),
      ],
    ];
  }
  const failed = cell.status === "failed";
  return cell.changes.flatMap((change, index) => {
    const glyph = failed
      ? segment(`${GLYPHS.fail} `, "error")
      : segment(`${GLYPHS.bullet} `, "muted");
    const stat = change.diff === undefined ? undefined : diffStat(change.diff);
    const header = truncateStyled(
      [
        glyph,
        segment(`${failed ? "Failed to edit" : CHANGE_VERBS[change.kind]} `, "strong"),
        segment(change.path, "accent"),
        ...(stat
          ? [
              segment(" (", "muted"),
              segment(`+${stat.added}`, "diffAdd"),
              segment(" ", "muted"),
              segment(`-${stat.removed}`, "diffRemove"),
              segment(")", "muted"),
            ]
          : []),
      ],
      width,
    );
    const diff = change.diff === undefined ? [] : layoutDiff(change.diff, width);
    const shown =
      diff.length > DIFF_MAX_LINES
        ? [
            ...diff.slice(0, DIFF_MAX_LINES),
            [
              segment(
                `     ${GLYPHS.ellipsis} +${diff.length - DIFF_MAX_LINES} lines (Ctrl+O to expand)`,
                "muted",
              ),
            ],
          ]
        : diff;
    return [...(index > 0 && shown.length > 0 ? [[]] : []), header, ...shown];
  });
}
