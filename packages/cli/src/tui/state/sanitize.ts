import { stripVTControlCharacters } from "node:util";

// C0 controls except tab and newline, DEL, and C1 controls: none of them may reach the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const TAB = "  ";
// Control strings whose payload is not text: OSC, DCS, SOS, PM, APC (7-bit and 8-bit
// introducers), up to their terminator (ST, BEL) or the end. `stripVTControlCharacters` matches
// an OSC only when its payload has no spaces (a title "you have been pwned" stays as text) and
// knows no DCS or APC (a kitty graphics payload would stay).
const CONTROL_STRING =
  // eslint-disable-next-line no-control-regex
  /(?:\u001b[\]P^_X]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u009c\u001b]*(?:\u0007|\u009c|\u001b\\|$)/g;
// Bidirectional overrides and isolates: they reorder how text reads without changing what it is
// (a command in an approval prompt could read as another), so they are dropped.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the model, tools or the repository, made safe to print: escape sequences (colours,
 * cursor moves, OSC 52 clipboard writes, OSC 8 links, title changes) and other control
 * characters are removed, a carriage return keeps what a terminal would show (the text after
 * the last `\r` of a line, as progress bars leave it), tabs become two spaces. The TUI draws
 * its own styles; untrusted text never styles or moves anything.
 */
export function cleanText(text: string): string {
  if (!needsCleaning(text)) return text;
  const lines = stripVTControlCharacters(text.replace(/\r\n/g, "\n").replace(CONTROL_STRING, ""))
    .replace(BIDI, "")
    .split("\n");
  return lines
    .map((line) => {
      const shown = line.slice(line.lastIndexOf("\r") + 1);
      return shown.replace(/\t/g, TAB).replace(CONTROL, "");
    })
    .join("\n");
}

/**
 * One line for a one-line place (a command, a path, a route reason, a role's action): newlines
 * become spaces, and a lone carriage return shows as `␍` instead of hiding what came before it
 * (`rm -rf ~\rls` must not read as `ls` in an approval prompt).
 */
export function cleanLine(text: string): string {
  return cleanText(text.replace(/\r\n/g, "\n").replace(/\r/g, "␍")).replace(/\s*\n\s*/g, " ");
}

/**
 * Control characters as visible symbols (ESC as `␛`, BEL as `␇`, DEL as `␡`, a C1 control as
 * `�`), one symbol per character: for text whose characters must keep their places (the
 * composer's buffer, where the cursor is an index) and as the last guard before the terminal.
 */
export function showControls(text: string): string {
  if (!SUSPECT_CONTROL.test(text)) return text;
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? "␡" : "�";
  });
}

// eslint-disable-next-line no-control-regex
const SUSPECT_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

// Fast path: most text has nothing to clean.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
function needsCleaning(text: string): boolean {
  return SUSPECT.test(text);
}
