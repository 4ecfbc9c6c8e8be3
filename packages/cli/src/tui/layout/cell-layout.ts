import type {
  AsideCell,
  Cell,
  NoticeCell,
  PlanCell,
  QaCell,
  ReasoningCell,
  RouteCell,
  UserCell,
} from "../state/cells.js";
import { formatTokens, shortModel } from "../state/format.js";
import { splitLines } from "../state/text-layout.js";
import { GLYPHS } from "../theme.js";
import { commandLines, fileChangeLines, toolLines } from "./tool-cell-layout.js";
import { layoutMarkdown } from "./markdown-layout.js";
import {
  prefixLines,
  segment,
  truncateStyled,
  wrapStyled,
  type StyledLine,
} from "./styled-text.js";

/** How a cell is laid out: `now` for live elapsed times. */
export interface CellContext {
  width: number;
  now: number;
}

/** A cell as terminal rows at `context.width` (no blank rows around it: see {@link gapBefore}). */
export function layoutCell(cell: Cell, context: CellContext): StyledLine[] {
  const { width } = context;
  switch (cell.kind) {
    case "user":
      return userLines(cell, width);
    case "assistant": {
      const body = layoutMarkdown(cell.markdown, width - 2);
      const bullet = cell.continued ? [segment("  ")] : [segment(`${GLYPHS.bullet} `, "muted")];
      return prefixLines(body, bullet, [segment("  ")]);
    }
    case "reasoning":
      return reasoningLines(cell, width);
    case "command":
      return commandLines(cell, context);
    case "tool":
      return toolLines(cell, width);
    case "file-change":
      return fileChangeLines(cell, width);
    case "plan":
      return planLines(cell, width);
    case "qa":
      return qaLines(cell, width);
    case "route":
      return routeLines(cell, width);
    case "notice":
      return noticeLines(cell, width);
    case "approval": {
      const glyph = cell.approved
        ? segment(`${GLYPHS.ok} `, "success")
        : segment(`${GLYPHS.fail} `, "error");
      return wrapStyled(
        [
          segment(cell.outcome, cell.approved ? "success" : "error"),
          segment(` · ${cell.subject}`, "muted"),
        ],
        width,
        {
          first: [glyph],
        },
      );
    }
    case "aside":
      return asideLines(cell, width);
    case "error":
      return wrapStyled([segment(cell.message, "error")], width, {
        first: [segment(`${GLYPHS.fail} `, "error")],
      });
  }
}

/** Cells that read as one-line annotations sit together; everything else is a blank row apart. */
const COMPACT: ReadonlySet<Cell["kind"]> = new Set(["route", "notice", "tool", "approval"]);

/** Blank rows above `cell` when `previous` is the cell above it. */
export function gapBefore(previous: Cell | undefined, cell: Cell): number {
  if (!previous) return 0;
  return COMPACT.has(previous.kind) && COMPACT.has(cell.kind) ? 0 : 1;
}

function userLines(cell: UserCell, width: number): StyledLine[] {
  const prompt = cell.via === "tool_boundary" ? GLYPHS.steer : GLYPHS.prompt;
  const label = cell.via === "tool_boundary" ? [segment(" (steer)", "muted")] : [];
  return wrapStyled([segment(cell.text, "text"), ...label], width, {
    first: [segment(`${prompt} `, "user")],
  });
}

function reasoningLines(cell: ReasoningCell, width: number): StyledLine[] {
  const lines = splitLines(cell.text).filter((line) => line.trim());
  const first = (lines[0] ?? "").replace(/^\*\*(.*)\*\*$/, "$1");
  const more = lines.length > 1 ? ` (+${lines.length - 1} lines)` : "";
  return [
    truncateStyled(
      [segment(`${GLYPHS.bullet} Thinking: ${first}`, "muted"), segment(more, "muted")],
      width,
    ),
  ];
}

function planLines(cell: PlanCell, width: number): StyledLine[] {
  const done = cell.items.filter(({ completed }) => completed).length;
  const header = [
    segment(`${GLYPHS.bullet} `, "muted"),
    segment("Plan", "strong"),
    segment(` ${done}/${cell.items.length} done`, "muted"),
  ];
  return [
    header,
    ...cell.items.flatMap(({ text, completed }) =>
      wrapStyled([segment(text, completed ? "muted" : "text")], width, {
        first: [
          segment("  "),
          segment(completed ? "[x] " : "[ ] ", completed ? "success" : "text"),
        ],
        rest: [segment("      ")],
      }),
    ),
  ];
}

function qaLines(cell: QaCell, width: number): StyledLine[] {
  const round = cell.round > 1 ? ` (round ${cell.round})` : "";
  if (cell.verdict === "pass") {
    return [
      [segment(`${GLYPHS.ok} QA passed${round}`, "success")],
      ...(cell.reason
        ? wrapStyled([segment(cell.reason, "muted")], width, { first: [segment("  ")] })
        : []),
    ];
  }
  if (cell.verdict === "block") {
    return [
      ...wrapStyled([segment(`QA blocked${round}: `, "warning"), segment(cell.reason)], width, {
        first: [segment(`${GLYPHS.fail} `, "warning")],
      }),
      ...cell.tasks.flatMap((task) =>
        wrapStyled([segment(task)], width, { first: [segment("  - ", "muted")] }),
      ),
    ];
  }
  const count = cell.tasks.length;
  return [
    [
      segment(`${GLYPHS.bullet} `, "warning"),
      segment(`QA added ${count} task${count === 1 ? "" : "s"}${round}`, "warning"),
    ],
    ...cell.tasks.flatMap((task) =>
      wrapStyled([segment(task)], width, { first: [segment("  + ", "warning")] }),
    ),
    ...(cell.reason
      ? wrapStyled([segment(cell.reason, "muted")], width, { first: [segment("  ")] })
      : []),
  ];
}

/** "executor → anthropic/claude-sonnet-4-5 · profile work · because …", always one row. */
function routeLines(cell: RouteCell, width: number): StyledLine[] {
  return [
    truncateStyled(
      [
        segment(`  ${cell.role} ${GLYPHS.arrow} `, "muted"),
        segment(cell.target, "model"),
        segment(
          `${cell.profile ? ` · profile ${cell.profile}` : ""}${cell.reason ? ` · because ${cell.reason}` : ""}`,
          "muted",
        ),
      ],
      width,
    ),
  ];
}

function noticeLines(cell: NoticeCell, width: number): StyledLine[] {
  const role = cell.tone === "warning" ? "warning" : cell.tone === "muted" ? "muted" : "text";
  const glyph = cell.tone === "warning" ? "! " : `${GLYPHS.bullet} `;
  return wrapStyled([segment(cell.text, role)], width, {
    first: [segment(glyph, cell.tone === "warning" ? "warning" : "muted")],
  });
}

function asideLines(cell: AsideCell, width: number): StyledLine[] {
  const bar = [segment("┃ ", "accent")];
  const details = [shortModel(cell.model), ...(cell.profile ? [cell.profile] : [])];
  if (cell.cachedTokens) details.push(`${formatTokens(cell.cachedTokens)} cached`);
  const header = truncateStyled(
    [segment("aside", "accent"), segment(` · ${details.join(" · ")}`, "muted")],
    width - 2,
  );
  const question = wrapStyled([segment(cell.question, "text")], width - 2, {
    first: [segment(`${GLYPHS.prompt} `, "user")],
  });
  const body: StyledLine[] =
    cell.status === "failed"
      ? wrapStyled([segment(cell.error ?? "the side question failed", "error")], width - 2, {
          first: [segment(`${GLYPHS.fail} `, "error")],
        })
      : cell.markdown
        ? layoutMarkdown(cell.markdown, width - 2)
        : [[segment(`answering${GLYPHS.ellipsis}`, "muted")]];
  return prefixLines([header, ...question, ...body], bar, bar);
}
