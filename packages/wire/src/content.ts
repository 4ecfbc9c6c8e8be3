import type { ToolResultPart } from "@hedge/model-spec";

/** Text of a tool result. OpenAI tool outputs carry text only, so images cannot be forwarded. */
export function toolResultText(part: ToolResultPart): string {
  if (typeof part.content === "string") return part.content;
  let text = "";
  for (const item of part.content) if (item.type === "text") text += item.text;
  return text;
}
