/** Keys as the terminal decoder reports them: what the keymap turns into intents. */

/** A named key; printable characters (and Ctrl/Alt with one) are `char`. */
export type KeyName =
  | "char"
  | "enter"
  | "tab"
  | "escape"
  | "backspace"
  | "delete"
  | "insert"
  | "up"
  | "down"
  | "left"
  | "right"
  | "home"
  | "end"
  | "pageup"
  | "pagedown"
  | `f${number}`;

/** One key press with its modifiers. */
export interface KeyPress {
  type: "key";
  name: KeyName;
  /** For `char`: the character (one code point; letters lower-case when Ctrl is held). */
  char?: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
}

/**
 * Pasted text, whole: from a bracketed paste (`ESC[200~ … ESC[201~`, however many reads it took),
 * or a paste the detector recognised without brackets. Line ends are as the terminal sent them.
 */
export interface PasteEvent {
  type: "paste";
  text: string;
}

/** What the decoder emits. */
export type KeyEvent = KeyPress | PasteEvent;

/** A key press; modifiers default to off. */
export function key(
  name: KeyName,
  modifiers: Partial<Pick<KeyPress, "ctrl" | "alt" | "shift">> & { char?: string } = {},
): KeyPress {
  return {
    type: "key",
    name,
    ...(modifiers.char === undefined ? {} : { char: modifiers.char }),
    ctrl: modifiers.ctrl ?? false,
    alt: modifiers.alt ?? false,
    shift: modifiers.shift ?? false,
  };
}

/**
 * A key's id in binding tables: modifiers in a fixed order then the name, `ctrl+alt+shift+up`;
 * a character is itself (`y`, `ctrl+c`, `alt+b`). Shift with a character is already in the
 * character (`A`), so it is not repeated.
 */
export function keyId(press: KeyPress): string {
  const name = press.name === "char" ? (press.char ?? "") : press.name;
  const shift = press.shift && press.name !== "char";
  return [press.ctrl && "ctrl", press.alt && "alt", shift && "shift", name]
    .filter(Boolean)
    .join("+");
}
