import type { ApprovalRequest } from "@hedge/core";
import { cleanLine, cleanText } from "../state/sanitize.js";
import { GLYPHS } from "../theme.js";
import { layoutComposer, type ComposerView } from "./composer-layout.js";
import { layoutDiff } from "./diff-layout.js";
import {
  prefixLines,
  segment,
  truncateStyled,
  wrapStyled,
  type StyledLine,
} from "./styled-text.js";

/** The four answers, in the order shown, with their keys (Codex's four). */
export const APPROVAL_ANSWERS = [
  { type: "approve_once", label: "Yes, once", key: "y" },
  { type: "approve_session", label: "Yes, and don't ask again this session", key: "a" },
  { type: "deny", label: "No", key: "n" },
  { type: "deny_with_note", label: "No, and tell the model why", key: "d" },
] as const;

export interface ApprovalLayout {
  width: number;
  maxHeight: number;
  /** Index of the highlighted answer (0-3). */
  selected: number;
  /** The note being written (after "No, and tell the model why"). */
  note?: ComposerView | undefined;
  /** Where the keys go: the prompt, or the composer (steering while the prompt waits). */
  focus: "panel" | "composer";
  /** Approvals waiting behind this one. */
  waiting: number;
  /** A patch's unified diff, when known. */
  diff?: string | undefined;
}

const COMMAND_ROWS = 4;
const PATCH_FILES = 6;

/**
 * The approval prompt: what would run (the command, or the files of a patch), where, why hedge
 * asks, then the four answers and the keys. Nothing untrusted styles the screen: the command,
 * the paths and the model's justification are cleaned. When rows are short, the details go
 * first (diff, justification, reason, directory); the request and the answers always show.
 */
export function layoutApproval(request: ApprovalRequest, layout: ApprovalLayout): StyledLine[] {
  const inner = Math.max(10, layout.width - 2);
  const title: StyledLine = [
    segment("Approval needed", "warning"),
    segment(layout.waiting > 0 ? ` (${layout.waiting} more waiting)` : "", "muted"),
  ];
  const question: StyledLine = [
    segment(
      request.kind === "exec"
        ? "Run this command?"
        : request.kind === "mcp_tool"
          ? "Call this MCP tool?"
          : "Apply these edits?",
      "strong",
    ),
  ];
  const subject =
    request.kind === "exec"
      ? commandRows(request.command, inner)
      : request.kind === "mcp_tool"
        ? mcpRows(request, inner)
        : patchRows(request, inner);
  const details: StyledLine[][] = [];
  if (request.kind === "exec") {
    const sandbox = request.sandboxed ? "in the sandbox" : "outside the sandbox";
    details.push([
      truncateStyled([segment(`in ${cleanLine(request.cwd)} · ${sandbox}`, "muted")], inner),
    ]);
  }
  details.push(wrapStyled([segment(`why: ${cleanLine(request.reason)}`, "muted")], inner));
  if (request.kind === "exec" && request.justification)
    details.push(
      wrapStyled(
        [segment(`the model says: ${cleanText(request.justification)}`, "muted")],
        inner,
      ).slice(0, 3),
    );
  if (layout.diff) details.push(layoutDiff(cleanText(layout.diff), inner));
  const answers = APPROVAL_ANSWERS.map((answer, index) => {
    const chosen = index === layout.selected && layout.focus === "panel";
    return truncateStyled(
      [
        segment(chosen ? `${GLYPHS.prompt} ` : "  "),
        segment(`${index + 1}. ${answer.label}`, chosen ? "selected" : "text"),
        segment(`  ${answer.key}`, "muted"),
      ],
      inner,
    );
  });
  const note = layout.note
    ? layoutComposer(layout.note, {
        width: inner - 6,
        maxRows: 2,
        focused: layout.focus === "panel",
      }).map((row, index) => [segment(index === 0 ? "note: " : "      ", "muted"), ...row])
    : [];
  const hint: StyledLine = [
    segment(
      layout.focus === "panel"
        ? "Enter choose · Shift+Tab type in the composer · Esc deny and interrupt"
        : "Shift+Tab back to the approval · Enter steers the turn",
      "muted",
    ),
  ];
  const fixed = 2 + subject.length + answers.length + note.length + 1;
  const shown: StyledLine[] = [];
  let room = layout.maxHeight - fixed;
  for (const block of details) {
    if (room <= 0) break;
    const rows =
      block.length <= room
        ? block
        : [...block.slice(0, room - 1), [segment(`${GLYPHS.ellipsis}`, "muted")]];
    shown.push(...rows);
    room -= rows.length;
  }
  const body = [
    title,
    question,
    ...subject,
    ...shown,
    ...answers,
    ...note,
    truncateStyled(hint, inner),
  ];
  const bar = [segment("│ ", "warning")];
  return prefixLines(body, bar, bar).slice(0, Math.max(0, layout.maxHeight));
}

function commandRows(command: readonly string[], width: number): StyledLine[] {
  const rows = wrapStyled([segment(cleanLine(command.join(" ")), "code")], width, {
    first: [segment("$ ", "muted")],
    rest: [segment("  ")],
    hard: true,
  });
  if (rows.length <= COMMAND_ROWS) return rows;
  return [
    ...rows.slice(0, COMMAND_ROWS - 1),
    truncateStyled([...(rows[COMMAND_ROWS - 1] ?? []), segment(GLYPHS.ellipsis)], width),
  ];
}

/** The server, the tool and its arguments (as JSON, cleaned of control characters, cut short). */
function mcpRows(
  request: Extract<ApprovalRequest, { kind: "mcp_tool" }>,
  width: number,
): StyledLine[] {
  const name = `mcp__${cleanLine(request.server)}__${cleanLine(request.tool)}`;
  const args = cleanLine(JSON.stringify(request.arguments) ?? "");
  return [
    ...wrapStyled([segment(name, "code")], width, { hard: true }).slice(0, 1),
    ...wrapStyled([segment(args, "muted")], width, { hard: true }).slice(0, COMMAND_ROWS),
  ];
}

function patchRows(
  request: Extract<ApprovalRequest, { kind: "patch" }>,
  width: number,
): StyledLine[] {
  const marks = { add: "A", delete: "D", update: "M" } as const;
  const rows = request.changes
    .slice(0, PATCH_FILES)
    .map(({ path, kind, move_to }) =>
      truncateStyled(
        [
          segment(
            `${marks[kind]} `,
            kind === "add" ? "diffAdd" : kind === "delete" ? "diffRemove" : "accent",
          ),
          segment(cleanLine(path)),
          segment(move_to ? ` → ${cleanLine(move_to)}` : ""),
        ],
        width,
      ),
    );
  if (request.changes.length > PATCH_FILES)
    rows.push([segment(`+${request.changes.length - PATCH_FILES} more files`, "muted")]);
  return rows;
}
