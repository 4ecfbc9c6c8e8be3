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
