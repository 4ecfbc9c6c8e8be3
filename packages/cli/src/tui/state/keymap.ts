import type { EditCommand } from "./composer-buffer.js";
import type { ApprovalChoice } from "./session-state.js";
import { keyId, type KeyEvent } from "../terminal/key-event.js";

/** What a key means to the session; the reducer decides what it does in the current state. */
export type Intent =
  | { type: "submit" }
  | { type: "queue" }
  | { type: "newline" }
  | { type: "interrupt" }
  | { type: "pullBack" }
  | { type: "ctrlC" }
  | { type: "ctrlD" }
  | { type: "up" }
  | { type: "down" }
  | { type: "insert"; text: string }
  | { type: "paste"; text: string }
  | { type: "edit"; command: EditCommand }
  | { type: "answer"; choice: ApprovalChoice }
  | { type: "toggleApprovalFocus" }
  | { type: "expandRole" }
  | { type: "openPager" }
  | { type: "closePager" }
  | { type: "scroll"; by: number | "top" | "bottom" | "pageUp" | "pageDown" }
  | { type: "redraw" };

/**
 * Which table applies: typing (the composer, a popup, an approval's note), an approval prompt,
 * or the pager.
 */
export type KeyMode = "compose" | "approval" | "pager";

type SimpleIntent = Exclude<Intent, { type: "insert" | "paste" }>;

/** One binding, as the README's table shows it. */
export interface KeyBinding {
  /** Key ids ({@link keyId}): `enter`, `shift+enter`, `ctrl+j`, `alt+up`. */
  keys: readonly string[];
  intent: SimpleIntent;
  /** What it does, one line. */
  description: string;
}

const edit = (command: EditCommand): SimpleIntent => ({ type: "edit", command });

/** Keys while typing. Printable characters insert themselves; pastes insert (big ones fold). */
export const COMPOSE_BINDINGS: readonly KeyBinding[] = [
  { keys: ["enter"], intent: { type: "submit" }, description: "send; while a turn runs: steer it" },
  {
    keys: ["tab"],
    intent: { type: "queue" },
    description: "queue for the next turn (send when idle); completes a popup",
  },
  {
    keys: ["shift+enter", "ctrl+j", "alt+enter", "ctrl+shift+enter"],
    intent: { type: "newline" },
    description: "new line (also \\ then Enter)",
  },
  {
    keys: ["escape"],
    intent: { type: "interrupt" },
    description:
      "interrupt the turn: undelivered inputs come back into the composer (closes a popup first)",
  },
  {
    keys: ["alt+up"],
    intent: { type: "pullBack" },
    description: "take the last waiting input back to edit it",
  },
  {
    keys: ["up"],
    intent: { type: "up" },
    description: "history (on the first line); popup selection",
  },
  {
    keys: ["down"],
    intent: { type: "down" },
    description: "history (on the last line); popup selection",
  },
  {
    keys: ["ctrl+c"],
    intent: { type: "ctrlC" },
    description: "interrupt, or clear the composer; twice quits",
  },
  {
    keys: ["ctrl+d"],
    intent: { type: "ctrlD" },
    description: "quit on an empty composer (else delete)",
  },
  {
    keys: ["shift+tab"],
    intent: { type: "toggleApprovalFocus" },
    description: "approval prompt ⇄ composer",
  },
  { keys: ["ctrl+t"], intent: { type: "expandRole" }, description: "expand the role panel" },
  {
    keys: ["ctrl+o"],
    intent: { type: "openPager" },
    description: "page the last command's whole output (or diff, reasoning)",
  },
  { keys: ["ctrl+l"], intent: { type: "redraw" }, description: "redraw the screen" },
  { keys: ["left", "ctrl+b"], intent: edit("left"), description: "cursor left" },
  { keys: ["right", "ctrl+f"], intent: edit("right"), description: "cursor right" },
  { keys: ["alt+left", "ctrl+left", "alt+b"], intent: edit("wordLeft"), description: "word left" },
  {
    keys: ["alt+right", "ctrl+right", "alt+f"],
    intent: edit("wordRight"),
    description: "word right",
  },
  { keys: ["home", "ctrl+a"], intent: edit("lineStart"), description: "line start" },
  { keys: ["end", "ctrl+e"], intent: edit("lineEnd"), description: "line end" },
  { keys: ["backspace", "shift+backspace"], intent: edit("backspace"), description: "delete left" },
  { keys: ["delete"], intent: edit("delete"), description: "delete right" },
  {
    keys: ["ctrl+w", "alt+backspace", "ctrl+backspace"],
    intent: edit("deleteWordBackward"),
    description: "delete the word left",
  },
  {
    keys: ["alt+d", "ctrl+delete"],
    intent: edit("deleteWordForward"),
    description: "delete the word right",
  },
  { keys: ["ctrl+k"], intent: edit("killToLineEnd"), description: "delete to the line end" },
  { keys: ["ctrl+u"], intent: edit("killToLineStart"), description: "delete to the line start" },
];

/** Keys while an approval prompt has the focus. */
export const APPROVAL_BINDINGS: readonly KeyBinding[] = [
  { keys: ["y"], intent: { type: "answer", choice: "approve_once" }, description: "approve once" },
  {
    keys: ["a"],
    intent: { type: "answer", choice: "approve_session" },
    description: "approve for this session",
  },
  { keys: ["n"], intent: { type: "answer", choice: "deny" }, description: "deny" },
  {
    keys: ["d"],
    intent: { type: "answer", choice: "deny_with_note" },
    description: "deny with a note to the model",
  },
  { keys: ["enter"], intent: { type: "submit" }, description: "the highlighted answer" },
  { keys: ["up"], intent: { type: "up" }, description: "previous answer" },
  { keys: ["down"], intent: { type: "down" }, description: "next answer" },
  { keys: ["escape"], intent: { type: "interrupt" }, description: "deny and interrupt the turn" },
  {
    keys: ["shift+tab", "tab"],
    intent: { type: "toggleApprovalFocus" },
    description: "to the composer (steer while it waits)",
  },
  { keys: ["ctrl+c"], intent: { type: "ctrlC" }, description: "interrupt; twice quits" },
  { keys: ["ctrl+t"], intent: { type: "expandRole" }, description: "expand the role panel" },
  { keys: ["ctrl+l"], intent: { type: "redraw" }, description: "redraw the screen" },
];

/** Keys while the pager (Ctrl+O) shows. */
export const PAGER_BINDINGS: readonly KeyBinding[] = [
  { keys: ["up", "k"], intent: { type: "scroll", by: -1 }, description: "up a line" },
  { keys: ["down", "j"], intent: { type: "scroll", by: 1 }, description: "down a line" },
  { keys: ["pageup", "b"], intent: { type: "scroll", by: "pageUp" }, description: "up a page" },
  {
    keys: ["pagedown", " ", "f"],
    intent: { type: "scroll", by: "pageDown" },
    description: "down a page",
  },
  { keys: ["home", "g"], intent: { type: "scroll", by: "top" }, description: "the top" },
  { keys: ["end", "G"], intent: { type: "scroll", by: "bottom" }, description: "the end" },
  {
    keys: ["q", "escape", "ctrl+o", "enter"],
    intent: { type: "closePager" },
    description: "close the pager",
  },
  { keys: ["ctrl+c"], intent: { type: "ctrlC" }, description: "close; twice quits" },
];

const indexBindings = (bindings: readonly KeyBinding[]): ReadonlyMap<string, SimpleIntent> =>
  new Map(bindings.flatMap((binding) => binding.keys.map((id) => [id, binding.intent] as const)));

const TABLES: Record<KeyMode, ReadonlyMap<string, SimpleIntent>> = {
  compose: indexBindings(COMPOSE_BINDINGS),
  approval: indexBindings(APPROVAL_BINDINGS),
  pager: indexBindings(PAGER_BINDINGS),
};

/**
 * What a decoded key means in `mode`, or null when it means nothing there (an unbound function
 * key, a printable key while an approval has the focus).
 */
export function intentFor(event: KeyEvent, mode: KeyMode): Intent | null {
  if (event.type === "paste")
    return mode === "compose" ? { type: "paste", text: event.text } : null;
  const bound = TABLES[mode].get(keyId(event));
  if (bound) return bound;
  if (mode === "compose" && event.name === "char" && event.char && !event.ctrl && !event.alt)
    return { type: "insert", text: event.char };
  return null;
}
