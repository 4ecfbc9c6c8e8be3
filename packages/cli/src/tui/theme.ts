import chalk from "chalk";

/** What a piece of text is, not how it looks: components ask the theme for a role's style. */
export type StyleRole =
  | "text"
  | "muted"
  | "strong"
  | "accent"
  | "user"
  | "success"
  | "warning"
  | "error"
  | "model"
  | "heading"
  | "code"
  | "link"
  | "quote"
  | "selected"
  | "cursor"
  | "placeholder"
  | "diffAdd"
  | "diffRemove"
  | "diffHunk"
  | "diffContext"
  | "syntaxKeyword"
  | "syntaxString"
  | "syntaxNumber"
  | "syntaxComment"
  | "syntaxTitle"
  | "syntaxType"
  | "syntaxAttr"
  | "syntaxMeta";

/** ink `<Text>` style props. */
export interface TextStyle {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strikethrough?: boolean;
}

/** Marks that carry meaning without colour (a ✓/✗, a `+`/`-`), the same in every theme. */
export const GLYPHS = {
  bullet: "•",
  ok: "✓",
  fail: "✗",
  arrow: "→",
  prompt: "›",
  steer: "↳",
  running: "▶",
  ellipsis: "…",
  spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"],
} as const;

/** The semantic colours of the TUI, or none at all. */
export interface Theme {
  /** Whether any colour is used (false under NO_COLOR). */
  readonly color: boolean;
  style(role: StyleRole): TextStyle;
  /** Box borders: a colour, or undefined (plain borders). */
  readonly borderColor: string | undefined;
}

const COLOURS: Record<StyleRole, TextStyle> = {
  text: {},
  muted: { dimColor: true },
  strong: { bold: true },
  accent: { color: "cyan" },
  user: { color: "cyan", bold: true },
  success: { color: "green" },
  warning: { color: "yellow" },
  error: { color: "red" },
  model: { color: "magenta" },
  heading: { color: "cyan", bold: true },
  code: { color: "yellow" },
  link: { color: "blue", underline: true },
  quote: { color: "gray", italic: true },
  selected: { color: "cyan", inverse: true },
  cursor: { inverse: true },
  placeholder: { dimColor: true },
  diffAdd: { color: "green" },
  diffRemove: { color: "red" },
  diffHunk: { color: "cyan" },
  diffContext: { dimColor: true },
  syntaxKeyword: { color: "magenta" },
  syntaxString: { color: "green" },
  syntaxNumber: { color: "yellow" },
  syntaxComment: { color: "gray", italic: true },
  syntaxTitle: { color: "blue" },
  syntaxType: { color: "cyan" },
  syntaxAttr: { color: "yellow" },
  syntaxMeta: { color: "gray" },
};

/**
 * NO_COLOR (https://no-color.org): no colour, and no faint text either (many terminals draw
 * faint as a colour). What colour told apart is carried by glyphs and by the attributes that
 * are not colour: bold for emphasis, reverse video for the cursor and the selected row.
 */
const PLAIN: Partial<Record<StyleRole, TextStyle>> = {
  strong: { bold: true },
  heading: { bold: true },
  user: { bold: true },
  selected: { inverse: true },
  cursor: { inverse: true },
};

export function createTheme(color: boolean): Theme {
  return {
    color,
    style: (role) => (color ? COLOURS[role] : (PLAIN[role] ?? {})),
    borderColor: color ? "gray" : undefined,
  };
}

/** Whether to use colour: never under NO_COLOR (any non-empty value), FORCE_COLOR=0 or TERM=dumb. */
export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  if (env["NO_COLOR"]) return false;
  if (env["FORCE_COLOR"] === "0") return false;
  return env["TERM"] !== "dumb";
}

/**
 * ink colours through chalk, which ignores NO_COLOR: switch chalk off too, so nothing (a
 * border, a library's default) slips a colour through.
 */
export function applyColorMode(theme: Theme): void {
  if (!theme.color) chalk.level = 0;
}
