import type { CallToolResult } from "./sdk.js";
import type { Tokenizer } from "./tokens.js";

/** An MCP content block as hedge reports it in `mcp_tool_call` items (binary data left out). */
export type ReportedContent = Record<string, unknown> & { type: string };

/** A tool result made safe for the model, the session and a terminal. */
export interface ShapedResult {
  /** What the model reads. */
  text: string;
  /** The content blocks for the `mcp_tool_call` item: text capped and cleaned, no binary data. */
  content: ReportedContent[];
  structuredContent: unknown;
  isError: boolean;
}

// CSI and OSC sequences, then every other control character but tab and newline.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from an untrusted server without terminal escape sequences or control characters: they
 * could rewrite what a person sees in the terminal, and tell the model nothing.
 */
export function cleanText(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, "").replace(CONTROL_CHARACTERS, "");
}

function sizeOf(base64: string): string {
  const bytes = Math.floor((base64.length * 3) / 4);
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} kB` : `${bytes} B`;
}

/** One content block as text for the model, and as reported in the item. */
function shapeBlock(block: CallToolResult["content"][number]): {
  text: string;
  reported: ReportedContent;
} {
  switch (block.type) {
    case "text":
      return { text: block.text, reported: { type: "text", text: block.text } };
    case "image":
    case "audio": {
      const note = `[${block.type} omitted: ${block.mimeType}, ${sizeOf(block.data)}]`;
      return { text: note, reported: { type: block.type, mimeType: block.mimeType } };
    }
    case "resource": {
      const resource = block.resource;
      if ("text" in resource && typeof resource.text === "string")
        return {
          text: `[resource ${resource.uri}]\n${resource.text}`,
          reported: { type: "resource", resource: { uri: resource.uri, text: resource.text } },
        };
      const blob = "blob" in resource && typeof resource.blob === "string" ? resource.blob : "";
      return {
        text: `[resource ${resource.uri} omitted: ${resource.mimeType ?? "binary"}, ${sizeOf(blob)}]`,
        reported: { type: "resource", resource: { uri: resource.uri } },
      };
    }
    case "resource_link":
      return {
        text: `[resource link ${block.uri}${block.description ? `: ${block.description}` : ""}]`,
        reported: { type: "resource_link", uri: block.uri, name: block.name },
      };
    default:
      return { text: "", reported: { type: "unknown" } };
  }
}

/**
 * Cuts `text` to `limit` tokens, keeping its head and tail (the start says what it is, the end
 * often says how it ended) with a marker in between naming what was left out.
 */
export function capText(text: string, limit: number, tokenizer: Tokenizer): string {
  if (tokenizer.within(text, limit) !== false) return text;
  const half = Math.floor(limit / 2);
  const head = tokenizer.cut(text, half);
  const tail = tokenizer.cut(text, half, true);
  const omitted = Math.max(0, text.length - head.length - tail.length);
  return `${head}\n[… ${omitted.toLocaleString("en-US")} characters omitted: the result passed mcp.tool_output_token_limit (${limit.toLocaleString("en-US")} tokens) …]\n${tail}`;
}

/**
 * A `tools/call` result as the model gets it: the blocks' text joined, structured content as
 * JSON when there is no text, escape sequences removed, and the whole capped at `limit` tokens.
 */
export function shapeResult(
  result: CallToolResult,
  limit: number,
  tokenizer: Tokenizer,
): ShapedResult {
  const blocks = (Array.isArray(result.content) ? result.content : []).map(shapeBlock);
  let text = blocks.map((block) => block.text).join("\n");
  if (text.trim() === "" && result.structuredContent !== undefined)
    text = JSON.stringify(result.structuredContent);
  const capped = capText(cleanText(text), limit, tokenizer);
  // The item shows what the model saw: the reported text blocks share the cap.
  const perBlock = Math.max(100, Math.floor(limit / Math.max(1, blocks.length)));
  const content = blocks.map(({ reported }) =>
    typeof reported["text"] === "string"
      ? { ...reported, text: capText(cleanText(reported["text"]), perBlock, tokenizer) }
      : reported,
  );
  return {
    text: capped,
    content,
    structuredContent: result.structuredContent ?? null,
    isError: result.isError === true,
  };
}
