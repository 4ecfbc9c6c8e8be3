import { useMemo, type ReactNode } from "react";
import { layoutMarkdown } from "../layout/markdown-layout.js";
import { StyledLines } from "./styled-lines.js";

export interface MarkdownViewProps {
  /** Clean markdown (cells hold cleaned text; clean anything else with `cleanText` first). */
  markdown: string;
  width: number;
}

/**
 * Markdown as the transcript draws it: headings, lists, quotes, tables, code blocks highlighted
 * (lowlight grammars registered on first use), links with their address.
 */
export function MarkdownView({ markdown, width }: MarkdownViewProps): ReactNode {
  const lines = useMemo(() => layoutMarkdown(markdown, width), [markdown, width]);
  return <StyledLines lines={lines} />;
}
