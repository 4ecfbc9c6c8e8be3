import { roleDetails, roleDoing, type RoleRow } from "../state/role-activity.js";
import { GLYPHS } from "../theme.js";
import { segment, truncateStyled, type StyledLine } from "./styled-text.js";

export interface RolePanelLayout {
  width: number;
  now: number;
  maxHeight: number;
  /** The role whose output is shown under its row (Ctrl+T), if any. */
  expanded?: string | null | undefined;
  /** The role a Ctrl+T would expand (marked). */
  selected?: string | null | undefined;
  /** Animate the spinner (false under INK_SCREEN_READER: a still `▶` instead). Default true. */
  animate?: boolean | undefined;
}

/** Spinner frame for `now` (the panel animates only as often as it is drawn). */
export function spinnerFrame(now: number): string {
  return GLYPHS.spinner[Math.floor(now / 100) % GLYPHS.spinner.length] ?? GLYPHS.running;
}

/**
 * One row per role at work ("orchestrator: planning (gpt-5-codex · work · 4 s · 1.2k tok)"),
 * the expanded role's latest output under its row; when the rows do not fit, one summary row.
 */
export function layoutRolePanel(rows: readonly RoleRow[], layout: RolePanelLayout): StyledLine[] {
  const { width, now, maxHeight } = layout;
  if (rows.length === 0 || maxHeight <= 0) return [];
  const spinner = layout.animate === false ? GLYPHS.running : spinnerFrame(now);
  if (rows.length > maxHeight) {
    const summary = rows.map((row) => `${row.role} ${roleDoing(row)}`).join(", ");
    return [truncateStyled([segment(`${spinner} `, "accent"), segment(summary)], width)];
  }
  const out: StyledLine[] = [];
  for (const row of rows) {
    const marker =
      row.role === layout.selected
        ? segment(`${GLYPHS.prompt} `, "accent")
        : segment(`${spinner} `, "accent");
    out.push(
      truncateStyled(
        [
          marker,
          segment(`${row.role}: `, "strong"),
          segment(roleDoing(row)),
          segment(` (${roleDetails(row, now).join(" · ")})`, "muted"),
        ],
        width,
      ),
    );
    if (row.role === layout.expanded) {
      // One row is expanded: its output gets the rows the others leave.
      const room = maxHeight - rows.length;
      const output = row.output.length > 0 ? row.output : ["(no output yet)"];
      for (const line of output.slice(-Math.max(0, room))) {
        out.push(truncateStyled([segment("  │ ", "muted"), segment(line, "muted")], width));
      }
    }
  }
  return out.slice(0, maxHeight);
}

/** Rows the panel wants: one per role, plus the expanded role's output. */
export function rolePanelDemand(rows: readonly RoleRow[], expanded?: string | null): number {
  const open = rows.find((row) => row.role === expanded);
  return rows.length + (open ? Math.max(1, open.output.length) : 0);
}
