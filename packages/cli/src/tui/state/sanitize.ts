import { stripVTControlCharacters } from "node:util";

// C0 controls except tab and newline, DEL, and C1 controls: none of them may reach the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const TAB = "  ";

/**
 * Text from the model, tools or the repository, made safe to print: escape sequences (colours,
 * cursor moves, OSC 52 clipboard writes, OSC 8 links, title changes) and other control
 * characters are removed, a carriage return keeps what a terminal would show (the text after
 * the last `\r` of a line, as progress bars leave it), tabs become two spaces. The TUI draws
 * its own styles; untrusted text never styles or moves anything.
 */
export function cleanText(text: string): string {
  if (!needsCleaning(text)) return text;
  const lines = stripVTControlCharacters(text.replace(/\r\n/g, "\n")).split("\n");
  return lines
    .map((line) => {
      const shown = line.slice(line.lastIndexOf("\r") + 1);
      return shown.replace(/\t/g, TAB).replace(CONTROL, "");
    })
    .join("\n");
}

/** One line for a one-line place (a route reason, a role's action): newlines become spaces. */
export function cleanLine(text: string): string {
  return cleanText(text).replace(/\s*\n\s*/g, " ");
}

// Fast path: most text has nothing to clean.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
function needsCleaning(text: string): boolean {
  return SUSPECT.test(text);
}
