import type { Endpoint } from "./script.js";

const endpointPaths: Record<string, Endpoint> = {
  "/v1/chat/completions": "chat",
  "/v1/responses": "responses",
  "/v1/messages": "messages",
};

/** The wire format served at `pathname`, if any. */
export function endpointOf(pathname: string): Endpoint | undefined {
  return endpointPaths[pathname.replace(/\/+$/, "")];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Text of a message `content`: a string, or the text of its text-like parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => {
      if (!isRecord(part)) return "";
      const text = part["text"];
      if (typeof text === "string") return text;
      // Anthropic tool_result blocks nest their own content.
      return contentText(part["content"]);
    })
    .join("");
}

/** Text of the last user message in a Chat, Responses or Messages request body. */
export function lastUserText(endpoint: Endpoint, body: Record<string, unknown>): string {
  const list = endpoint === "responses" ? body["input"] : body["messages"];
  if (typeof list === "string") return list;
  if (!Array.isArray(list)) return "";
  for (let index = list.length - 1; index >= 0; index -= 1) {
    const entry: unknown = list[index];
    if (isRecord(entry) && entry["role"] === "user") return contentText(entry["content"]);
  }
  return "";
}

/** Everything in a request that counts as prompt, for the input-token estimate. */
export function promptText(body: Record<string, unknown>): string {
  const parts = ["system", "instructions", "messages", "input", "tools"].map((key) => body[key]);
  return parts
    .filter((part) => part !== undefined)
    .map((part) => (typeof part === "string" ? part : JSON.stringify(part)))
    .join("\n");
}
