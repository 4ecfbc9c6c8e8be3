import stringWidth from "string-width";
import { cleanLine } from "../state/sanitize.js";
import { GLYPHS } from "../theme.js";
import { segment, truncateStyled, type Segment, type StyledLine } from "./styled-text.js";

/** The slice of a list to show so the selected row is visible: [start, end). */
export function listWindow(count: number, selected: number, rows: number): [number, number] {
  if (rows <= 0) return [0, 0];
  if (count <= rows) return [0, count];
  const clamped = Math.min(Math.max(0, selected), count - 1);
  const start = Math.min(Math.max(0, clamped - Math.floor(rows / 2)), count - rows);
  return [start, start + rows];
}

/** A command of the slash popup. */
export interface SlashItem {
  /** Without the "/". */
  name: string;
  description: string;
  /** "QUESTION" for `/ask QUESTION`. */
  argsHint?: string;
  /** Not available while a turn runs (shown greyed, not hidden). */
  disabled?: boolean;
}

/** The slash popup: commands matching what was typed, the selected one marked. */
export function layoutSlashPopup(
  items: readonly SlashItem[],
  selected: number,
  filter: string,
  width: number,
  maxHeight: number,
): StyledLine[] {
  if (maxHeight <= 0) return [];
  if (items.length === 0) return [[segment(`No command matches /${filter}`, "muted")]];
  const nameWidth = Math.min(18, Math.max(...items.map((item) => stringWidth(label(item)))));
  const [start, end] = listWindow(items.length, selected, maxHeight);
  return items.slice(start, end).map((item, offset) => {
    const chosen = start + offset === selected;
    const name = label(item);
    const matched = name.startsWith(`/${filter}`) ? filter.length + 1 : 0;
    const nameRole = item.disabled ? "muted" : chosen ? "selected" : "text";
    const parts: Segment[] = [
      segment(chosen ? `${GLYPHS.prompt} ` : "  ", "accent"),
      segment(name.slice(0, matched), item.disabled ? "muted" : chosen ? "selected" : "accent"),
      segment(name.slice(matched), nameRole),
      segment(" ".repeat(Math.max(1, nameWidth - stringWidth(name) + 2))),
      segment(item.description, "muted"),
      segment(item.disabled ? " (not while a turn runs)" : "", "muted"),
    ];
    return truncateStyled(parts, width);
  });
}

function label(item: SlashItem): string {
  return `/${item.name}${item.argsHint ? ` ${item.argsHint}` : ""}`;
}

/** An entry of a picker (/model, /profile, /resume...). */
export interface PickerItem {
  label: string;
  description?: string;
  /** The value in use now (marked ✓). */
  current?: boolean;
  /** Not choosable (e.g. a model the policy refuses); shown greyed with its description. */
  disabled?: boolean;
}

/** A picker: title, the filter typed so far, the entries around the selected one, the keys. */
export function layoutListPicker(
  title: string,
  items: readonly PickerItem[],
  selected: number,
  filter: string,
  width: number,
  maxHeight: number,
  hint = "↑↓ select · Enter choose · Esc close",
): StyledLine[] {
  if (maxHeight <= 0) return [];
  const header = truncateStyled(
    [segment(title, "strong"), segment(filter ? `  filter: ${filter}` : "", "muted")],
    width,
  );
  const rows = Math.max(0, maxHeight - 2);
  const body: StyledLine[] =
    items.length === 0
      ? [[segment("  nothing matches", "muted")]]
      : (() => {
          const [start, end] = listWindow(items.length, selected, rows);
          return items.slice(start, end).map((item, offset) => {
            const chosen = start + offset === selected;
            return truncateStyled(
              [
                segment(chosen ? `${GLYPHS.prompt} ` : "  ", "accent"),
                // Labels and descriptions may quote a session's prompt or a model's name.
                segment(
                  cleanLine(item.label),
                  item.disabled ? "muted" : chosen ? "selected" : "text",
                ),
                segment(item.current ? ` ${GLYPHS.ok}` : "", "success"),
                segment(item.description ? `  ${cleanLine(item.description)}` : "", "muted"),
              ],
              width,
            );
          });
        })();
  return [header, ...body.slice(0, Math.max(1, rows)), [segment(hint, "muted")]].slice(
    0,
    maxHeight,
  );
}

/**
 * The `@` file popup: repository paths matching what follows the `@`, the characters that
 * matched in the accent style, the selected one marked. A path too long for the row loses its
 * start (`…/deep/dir/file.ts`): the file name is what tells paths apart.
 */
export function layoutMentionPopup(
  paths: readonly string[],
  selected: number,
  query: string,
  width: number,
  maxHeight: number,
): StyledLine[] {
  if (maxHeight <= 0) return [];
  if (paths.length === 0) return [[segment(`No files match @${query}`, "muted")]];
  const [start, end] = listWindow(paths.length, selected, maxHeight);
  return paths.slice(start, end).map((raw, offset) => {
    const chosen = start + offset === selected;
    // A file name is the repository's: it may hold anything, escape sequences included.
    const path = cleanLine(raw);
    const room = Math.max(1, width - 2);
    const shown =
      stringWidth(path) <= room ? path : `${GLYPHS.ellipsis}${tailToWidth(path, room - 1)}`;
    return [
      segment(chosen ? `${GLYPHS.prompt} ` : "  ", "accent"),
      ...matchSegments(shown, query, chosen ? "selected" : "text"),
    ];
  });
}

/** The end of `text` that fits `width` columns. */
function tailToWidth(text: string, width: number): string {
  const chars = Array.from(text);
  let used = 0;
  let index = chars.length;
  while (index > 0) {
    const charWidth = stringWidth(chars[index - 1] ?? "");
    if (used + charWidth > width) break;
    used += charWidth;
    index -= 1;
  }
  return chars.slice(index).join("");
}

/** `text` with the characters of `query` it contains in order (case-insensitive) marked. */
function matchSegments(text: string, query: string, role: "selected" | "text"): Segment[] {
  const wanted = Array.from(query.toLowerCase());
  const out: Segment[] = [];
  let next = 0;
  for (const char of Array.from(text)) {
    const hit = next < wanted.length && char.toLowerCase() === wanted[next];
    if (hit) next += 1;
    const charRole = hit ? "accent" : role;
    const last = out.at(-1);
    if (last?.role === charRole) last.text += char;
    else out.push(segment(char, charRole));
  }
  return out;
}
