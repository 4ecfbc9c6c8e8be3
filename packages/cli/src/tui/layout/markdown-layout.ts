import { Lexer, type Token, type Tokens } from "marked";
import type { StyleRole } from "../theme.js";
import { highlightCode } from "./highlight.js";
import {
  lineWidth,
  prefixLines,
  segment,
  truncateStyled,
  wrapStyled,
  type Segment,
  type StyledLine,
} from "./styled-text.js";
import { tableLines } from "./table-layout.js";

/**
 * Markdown as terminal rows at `width` columns: marked's lexer gives the blocks, this lays them
 * out (headings, paragraphs, lists with their bullets and numbers, task boxes, quotes, tables,
 * highlighted code without its fences, rules), one blank row between blocks.
 */
export function layoutMarkdown(markdown: string, width: number): StyledLine[] {
  return blocks(Lexer.lex(markdown, { gfm: true }), Math.max(8, width));
}

/** Blocks one under the other; `tight` (a tight list item's parts): no blank row between them. */
function blocks(tokens: readonly Token[], width: number, tight = false): StyledLine[] {
  const out: StyledLine[] = [];
  for (const token of tokens) {
    const lines = block(token, width);
    if (lines.length === 0) continue;
    if (out.length > 0 && !tight) out.push([]);
    out.push(...lines);
  }
  return out;
}

function block(token: Token, width: number): StyledLine[] {
  switch (token.type) {
    case "heading": {
      const { tokens = [], depth } = token as Tokens.Heading;
      const prefix = depth > 2 ? [segment(`${"#".repeat(depth)} `, "heading")] : [];
      return wrapStyled(inline(tokens, "heading"), width, { first: prefix, rest: [] });
    }
    case "paragraph":
      return wrapStyled(inline((token as Tokens.Paragraph).tokens, undefined), width);
    case "text": {
      const text = token as Tokens.Text;
      return wrapStyled(
        text.tokens ? inline(text.tokens, undefined) : [segment(decode(text.text))],
        width,
      );
    }
    case "code": {
      const code = token as Tokens.Code;
      // Code keeps its lines; a row too long for the terminal is cut, not wrapped.
      return highlightCode(code.text, code.lang).map((line) =>
        truncateStyled([segment("  "), ...line], width),
      );
    }
    case "list":
      return list(token as Tokens.List, width);
    case "blockquote": {
      const inner = blocks((token as Tokens.Blockquote).tokens, width - 2);
      const bar = [segment("│ ", "quote")];
      return prefixLines(
        inner.map((line) => line.map((part) => ({ ...part, role: part.role ?? "quote" }))),
        bar,
      );
    }
    case "hr":
      return [[segment("─".repeat(Math.min(width, 40)), "muted")]];
    case "table":
      return tableLines(token as Tokens.Table, width, (cell) => inline(cell.tokens, undefined));
    case "html":
      return wrapStyled([segment((token as Tokens.HTML).text.trimEnd(), "muted")], width);
    default:
      return [];
  }
}

function list(token: Tokens.List, width: number): StyledLine[] {
  const out: StyledLine[] = [];
  const start = typeof token.start === "number" ? token.start : 1;
  token.items.forEach((item, index) => {
    const marker = token.ordered ? `${start + index}. ` : "• ";
    const box = item.task ? (item.checked ? "[x] " : "[ ] ") : "";
    const bullet = [
      segment(marker, "muted"),
      ...(box ? [segment(box, item.checked ? "success" : "text")] : []),
    ];
    const indent = lineWidth(bullet);
    const inner = blocks(
      item.tokens.filter((child) => child.type !== "checkbox"),
      width - indent,
      !item.loose,
    );
    if (item.loose && index > 0) out.push([]);
    const lines = inner.length > 0 ? inner : [[]];
    out.push(...prefixLines(lines, bullet, [segment(" ".repeat(indent))]));
  });
  return out;
}

/** Inline tokens as segments; `role` is the surrounding style (a heading, a link). */
function inline(tokens: readonly Token[], role: StyleRole | undefined): Segment[] {
  const out: Segment[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case "strong":
        out.push(...inline((token as Tokens.Strong).tokens, role ?? "strong"));
        break;
      case "em":
        out.push(...inline((token as Tokens.Em).tokens, role ?? "quote"));
        break;
      case "del":
        out.push(...inline((token as Tokens.Del).tokens, "muted"));
        break;
      case "codespan":
        out.push(segment(decode((token as Tokens.Codespan).text), "code"));
        break;
      case "link": {
        const link = token as Tokens.Link;
        out.push(...inline(link.tokens, "link"));
        const label = link.tokens
          .map((child) => ("text" in child && typeof child.text === "string" ? child.text : ""))
          .join("");
        if (link.href && link.href !== label && !link.href.startsWith("mailto:"))
          out.push(segment(` (${link.href})`, "muted"));
        break;
      }
      case "image":
        out.push(segment(`[image: ${(token as Tokens.Image).text}]`, "muted"));
        break;
      case "br":
        out.push(segment("\n", role));
        break;
      case "escape":
        out.push(segment((token as Tokens.Escape).text, role));
        break;
      case "text": {
        const text = token as Tokens.Text;
        if (text.tokens) out.push(...inline(text.tokens, role));
        else out.push(segment(decode(text.text), role));
        break;
      }
      case "html":
        out.push(segment((token as Tokens.Tag).text, "muted"));
        break;
      default:
        if ("text" in token && typeof token.text === "string")
          out.push(segment(decode(token.text), role));
    }
  }
  return out;
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  "#39": "'",
  apos: "'",
};

/** The few HTML entities marked leaves in text. */
function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, name: string) => ENTITIES[name] ?? "");
}
