import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import ini from "highlight.js/lib/languages/ini";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import type { LanguageFn } from "highlight.js";
import { createLowlight } from "lowlight";
import type { StyleRole } from "../theme.js";
import { segment, type StyledLine } from "./styled-text.js";

/**
 * Grammars by the names and aliases a fence uses. Each is registered with lowlight the first
 * time a block asks for it (registering compiles nothing up front; a session that shows no
 * Rust never builds the Rust grammar).
 */
const GRAMMARS: Record<string, LanguageFn> = {
  bash,
  c,
  cpp,
  css,
  diff,
  go,
  ini,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  shell,
  sql,
  typescript,
  xml,
  yaml,
};
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

const lowlight = createLowlight();

/** The grammar name for a fence's info string, registered on first use; undefined if unknown. */
export function languageFor(info: string | undefined): string | undefined {
  const word = info?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!word) return undefined;
  const name = ALIASES[word] ?? word;
  const grammar = GRAMMARS[name];
  if (!grammar) return undefined;
  if (!lowlight.registered(name)) lowlight.register(name, grammar);
  return name;
}

type HastNode = ReturnType<typeof lowlight.highlight>["children"][number];

/** Code as styled lines (one per source line, not wrapped), highlighted when the language is known. */
export function highlightCode(code: string, info: string | undefined): StyledLine[] {
  const language = languageFor(info);
  if (!language) return code.split("\n").map((line) => (line ? [segment(line, "code")] : []));
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
