/** Colours only on a TTY and never when NO_COLOR is set (https://no-color.org). */
const enabled =
  process.stdout.isTTY === true && !process.env["NO_COLOR"] && process.env["TERM"] !== "dumb";

function style(open: number, close: number): (text: string) => string {
  return (text) => (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);
}

export const paint = {
  green: style(32, 39),
  yellow: style(33, 39),
  red: style(31, 39),
  dim: style(2, 22),
  bold: style(1, 22),
};

/** Left-aligned columns two spaces apart, the header first; trailing blanks trimmed. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
