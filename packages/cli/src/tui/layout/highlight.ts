import type { StyleRole } from "../theme.js";
import type * as HighlightGrammars from "./highlight-grammars.js";
import { segment, type StyledLine } from "./styled-text.js";

type Grammars = typeof HighlightGrammars;

/**
 * The grammars (highlight.js and lowlight, a third of the TUI's code) load after the first frame:
 * `hedge` shows its composer without them, and code shown before they are loaded (only in the
 * first moments) is plain. `hedge resume` waits for them before it replays the transcript.
 */
let grammars: Grammars | undefined;
let loading: Promise<void> | undefined;

/** Loads the grammars (once); code laid out afterwards is highlighted. */
export function loadHighlighting(): Promise<void> {
  loading ??= import("./highlight-grammars.js").then((loaded) => {
    grammars = loaded;
  });
  return loading;
}

/** Names of the grammars highlight-grammars.ts carries. */
const NAMES: ReadonlySet<string> = new Set([
  "bash",
  "c",
  "cpp",
  "css",
  "diff",
  "go",
  "ini",
  "java",
  "javascript",
  "json",
  "markdown",
  "python",
  "rust",
  "shell",
  "sql",
  "typescript",
  "xml",
  "yaml",
]);
const ALIASES: Record<string, string> = {
  sh: "bash",
  zsh: "bash",
  console: "shell",
  "c++": "cpp",
  h: "c",
  hpp: "cpp",
  golang: "go",
  toml: "ini",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  ts: "typescript",
  tsx: "typescript",
  mts: "typescript",
  py: "python",
  rs: "rust",
  yml: "yaml",
  html: "xml",
  svg: "xml",
  md: "markdown",
  patch: "diff",
  jsonc: "json",
};

/** The grammar name for a fence's info string; undefined if unknown. */
export function languageFor(info: string | undefined): string | undefined {
  const word = info?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!word) return undefined;
  const name = ALIASES[word] ?? word;
  return NAMES.has(name) ? name : undefined;
}

type HastNode = ReturnType<Grammars["lowlight"]["highlight"]>["children"][number];

/** Code as styled lines (one per source line, not wrapped), highlighted when the language is known. */
export function highlightCode(code: string, info: string | undefined): StyledLine[] {
  const language = languageFor(info);
  const loaded = grammars;
  if (!language || !loaded)
    return code.split("\n").map((line) => (line ? [segment(line, "code")] : []));
  const { lowlight, GRAMMARS } = loaded;
  const grammar = GRAMMARS[language];
  if (!grammar) return code.split("\n").map((line) => (line ? [segment(line, "code")] : []));
  // Registered on first use: a session that shows no Rust never builds the Rust grammar.
  if (!lowlight.registered(language)) lowlight.register(language, grammar);
  const lines: StyledLine[] = [[]];
  const walk = (node: HastNode, role: StyleRole | undefined): void => {
    if (node.type === "text") {
      node.value.split("\n").forEach((part, index) => {
        if (index > 0) lines.push([]);
        if (part) lines.at(-1)?.push(segment(part, role));
      });
      return;
    }
    if (node.type !== "element") return;
    const classes = node.properties["className"];
    const own = Array.isArray(classes) ? roleForClasses(classes.map(String)) : undefined;
    for (const child of node.children) walk(child, own ?? role);
  };
  for (const node of lowlight.highlight(language, code).children) walk(node, undefined);
  return lines;
}

const CLASS_ROLES: [RegExp, StyleRole][] = [
  [/^hljs-(comment|quote|doctag)$/, "syntaxComment"],
  [/^hljs-(string|regexp|symbol|char)/, "syntaxString"],
  [/^hljs-(number|literal)$/, "syntaxNumber"],
  [/^hljs-(keyword|selector-tag|built_in)$/, "syntaxKeyword"],
  [/^hljs-(title|section|name|function)/, "syntaxTitle"],
  [/^hljs-(type|class)/, "syntaxType"],
  [/^hljs-(attr|attribute|variable|params|property|template-variable)/, "syntaxAttr"],
  [/^hljs-(meta|tag)/, "syntaxMeta"],
  [/^hljs-addition$/, "diffAdd"],
  [/^hljs-deletion$/, "diffRemove"],
];

function roleForClasses(classes: string[]): StyleRole | undefined {
  for (const name of classes) {
    for (const [pattern, role] of CLASS_ROLES) if (pattern.test(name)) return role;
  }
  return undefined;
}
