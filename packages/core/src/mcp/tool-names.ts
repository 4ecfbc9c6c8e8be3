import { createHash } from "node:crypto";

/** Every MCP tool's model-visible name starts with this; no built-in tool does. */
export const MCP_TOOL_PREFIX = "mcp__";
const DELIMITER = "__";
/** The longest tool name every wire accepts (OpenAI's function name limit). */
const MAX_NAME_BYTES = 64;
const HASH_CHARS = 12;

/** A server's tool as the manager knows it: raw names and the name the model sees. */
export interface QualifiedTool {
  server: string;
  tool: string;
  qualifiedName: string;
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, "_");
}

function suffix(server: string, tool: string): string {
  return createHash("sha1").update(`${server}\u0000${tool}`).digest("hex").slice(0, HASH_CHARS);
}

/**
 * `mcp__<server>__<tool>` in the tool-name alphabet of every wire (`[A-Za-z0-9_-]`, ≤ 64 bytes).
 * A name that had to be cut, or that two raw identities share after sanitising, gets `_` and 12
 * hex chars of a SHA-1 of the raw identity (Codex's rule), so every tool stays callable.
 */
export function qualifyToolNames(
  tools: readonly { server: string; tool: string }[],
): QualifiedTool[] {
  const plain = tools.map(({ server, tool }) => {
    const name = `${MCP_TOOL_PREFIX}${sanitize(server)}${DELIMITER}${sanitize(tool)}`;
    return name.length <= MAX_NAME_BYTES ? name : undefined;
  });
  const counts = new Map<string, number>();
  for (const name of plain) if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  return tools.map(({ server, tool }, index) => {
    const name = plain[index];
    if (name !== undefined && counts.get(name) === 1) return { server, tool, qualifiedName: name };
    const tail = `_${suffix(server, tool)}`;
    const base = `${MCP_TOOL_PREFIX}${sanitize(server)}${DELIMITER}${sanitize(tool)}`;
    return { server, tool, qualifiedName: base.slice(0, MAX_NAME_BYTES - tail.length) + tail };
  });
}

/** The start of every tool name of `server`: `mcp__<server>__`. */
export function qualifiedPrefix(server: string): string {
  return `${MCP_TOOL_PREFIX}${sanitize(server)}${DELIMITER}`;
}

/** Whether a model's tool call names an MCP tool (by its prefix). */
export function isMcpToolName(name: string): boolean {
  return name.startsWith(MCP_TOOL_PREFIX);
}
