import type { Endpoint } from "./script.js";

/** A tool call the model made earlier in the conversation. */
export interface ConversationToolCall {
  id: string;
  name: string;
  /** The arguments as sent on the wire (JSON text). */
  arguments: string;
}

/** What a tool returned, paired with the call it answers (when the request carries that call). */
export interface ConversationToolResult {
  callId: string;
  /** Name of the call with this id, if the request still carries it. */
  name: string | undefined;
  /** Arguments of that call (JSON text), if known. */
  arguments: string | undefined;
  output: string;
  /** Anthropic's `is_error`; the Chat and Responses formats do not carry it (false). */
  isError: boolean;
}

/** One entry of a request's conversation, the same for the three wire formats. */
export type ConversationEntry =
  | { role: "system" | "user"; text: string }
  | { role: "assistant"; text: string; toolCalls: ConversationToolCall[] }
  | ({ role: "tool" } & ConversationToolResult);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Text of a content value: a string, or the text of its text-like parts. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) ? text(part["text"]) || contentText(part["content"]) : ""))
    .join("");
}

function chatEntries(body: Record<string, unknown>): ConversationEntry[] {
  const entries: ConversationEntry[] = [];
  const messages = Array.isArray(body["messages"]) ? (body["messages"] as unknown[]) : [];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const role = message["role"];
    if (role === "assistant") {
      const calls = Array.isArray(message["tool_calls"])
        ? (message["tool_calls"] as unknown[])
        : [];
      entries.push({
        role: "assistant",
        text: contentText(message["content"]),
        toolCalls: calls.filter(isRecord).map((call) => {
          const fn = isRecord(call["function"]) ? call["function"] : {};
          return { id: text(call["id"]), name: text(fn["name"]), arguments: text(fn["arguments"]) };
        }),
      });
    } else if (role === "tool") {
      entries.push(
        toolEntry(text(message["tool_call_id"]), contentText(message["content"]), false),
      );
    } else {
      entries.push({
        role: role === "user" ? "user" : "system",
        text: contentText(message["content"]),
      });
    }
  }
  return entries;
}

function responsesEntries(body: Record<string, unknown>): ConversationEntry[] {
  const entries: ConversationEntry[] = [];
  if (typeof body["instructions"] === "string") {
    entries.push({ role: "system", text: body["instructions"] });
  }
  const input = body["input"];
  if (typeof input === "string") return [...entries, { role: "user", text: input }];
  for (const item of Array.isArray(input) ? (input as unknown[]) : []) {
    if (!isRecord(item)) continue;
    const type = item["type"];
    if (type === "function_call") {
      const call = {
        id: text(item["call_id"]),
        name: text(item["name"]),
        arguments: text(item["arguments"]),
      };
      const last = entries.at(-1);
      // Consecutive calls belong to one assistant turn, as in the other formats.
      if (last?.role === "assistant") last.toolCalls.push(call);
      else entries.push({ role: "assistant", text: "", toolCalls: [call] });
    } else if (type === "function_call_output") {
      entries.push(toolEntry(text(item["call_id"]), contentText(item["output"]), false));
    } else if (type === "message" || type === undefined) {
      const role = item["role"];
      const body = contentText(item["content"]);
      if (role === "assistant") entries.push({ role: "assistant", text: body, toolCalls: [] });
      else entries.push({ role: role === "user" ? "user" : "system", text: body });
    }
  }
  return entries;
}

function messagesEntries(body: Record<string, unknown>): ConversationEntry[] {
  const entries: ConversationEntry[] = [];
  const system = contentText(body["system"]);
  if (system) entries.push({ role: "system", text: system });
  const messages = Array.isArray(body["messages"]) ? (body["messages"] as unknown[]) : [];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const content = message["content"];
    const blocks = Array.isArray(content) ? (content as unknown[]).filter(isRecord) : [];
    if (message["role"] === "assistant") {
      entries.push({
        role: "assistant",
        text:
          typeof content === "string"
            ? content
            : contentText(blocks.filter((block) => block["type"] === "text")),
        toolCalls: blocks
          .filter((block) => block["type"] === "tool_use")
          .map((block) => ({
            id: text(block["id"]),
            name: text(block["name"]),
            arguments: JSON.stringify(block["input"] ?? {}),
          })),
      });
      continue;
    }
    // A user message carries tool results first, then any text the user added.
    for (const block of blocks) {
      if (block["type"] !== "tool_result") continue;
      entries.push(
        toolEntry(
          text(block["tool_use_id"]),
          contentText(block["content"]),
          block["is_error"] === true,
        ),
      );
    }
    const userText =
      typeof content === "string"
        ? content
        : contentText(blocks.filter((block) => block["type"] === "text"));
    if (userText) entries.push({ role: "user", text: userText });
  }
  return entries;
}

function toolEntry(callId: string, output: string, isError: boolean): ConversationEntry {
  return { role: "tool", callId, name: undefined, arguments: undefined, output, isError };
}

/**
 * The conversation a Chat, Responses or Messages request carries, in order, with each tool
 * result paired with the call it answers (name and arguments filled in from that call).
 */
export function conversationOf(
  endpoint: Endpoint,
  body: Record<string, unknown>,
): ConversationEntry[] {
  const entries =
    endpoint === "chat"
      ? chatEntries(body)
      : endpoint === "responses"
        ? responsesEntries(body)
        : messagesEntries(body);
  const calls = new Map<string, ConversationToolCall>();
  for (const entry of entries) {
    if (entry.role === "assistant") for (const call of entry.toolCalls) calls.set(call.id, call);
    if (entry.role === "tool") {
      const call = calls.get(entry.callId);
      entry.name = call?.name;
      entry.arguments = call?.arguments;
    }
  }
  return entries;
}

/** Names of the function tools a request offers the model. */
export function offeredToolNames(endpoint: Endpoint, body: Record<string, unknown>): string[] {
  const tools = Array.isArray(body["tools"]) ? (body["tools"] as unknown[]).filter(isRecord) : [];
  return tools
    .map((tool) =>
      endpoint === "chat" && isRecord(tool["function"]) ? tool["function"]["name"] : tool["name"],
    )
    .filter((name): name is string => typeof name === "string");
}
