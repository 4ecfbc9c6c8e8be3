import { readFileSync } from "node:fs";
import { z } from "zod";
import type { QaInput } from "@hedge/core";
import { hookInputError } from "./qa-payload.js";

type PlanStep = NonNullable<QaInput["plan"]>[number];

/** What the QA hook takes from an agent's transcript. */
export interface TranscriptTurn {
  /** The last prompt the user typed. */
  prompt: string | undefined;
  /** The agent's last text message after that prompt. */
  lastMessage: string | undefined;
  /** The latest plan (Claude Code `TodoWrite`, Codex `update_plan`). */
  plan: PlanStep[] | undefined;
}

/** Reads a transcript file; an unreadable one is bad hook input. */
export function readTranscript(path: string): TranscriptTurn {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot read it";
    throw hookInputError(`transcript ${path}: ${reason}`);
  }
  return parseTranscript(text);
}

const statusSchema = z.enum(["pending", "in_progress", "completed"]);
const todoWriteSchema = z.object({
  todos: z.array(z.object({ content: z.string(), status: statusSchema })),
});
const updatePlanSchema = z.object({
  plan: z.array(z.object({ step: z.string(), status: statusSchema })),
});

type Json = Record<string, unknown>;

/**
 * Reads both transcript formats line by line, each line recognised on its own: Claude Code
 * (`{type: "user"|"assistant", message: {role, content}}`) and Codex rollouts
 * (`{type: "event_msg"|"response_item", payload}`). Lines that are not JSON (a line being
 * written) are skipped.
 */
export function parseTranscript(text: string): TranscriptTurn {
  const turn: TranscriptTurn = { prompt: undefined, lastMessage: undefined, plan: undefined };
  // Codex also records the prompt as a user `response_item`, among injected context messages;
  // that copy is only a fallback for rollouts without `user_message` events.
  let codexItemPrompt: string | undefined;
  let codexEventPrompts = false;
  const setPrompt = (prompt: string): void => {
    turn.prompt = prompt;
    turn.lastMessage = undefined;
  };
  for (const line of text.split("\n")) {
    const entry = parseLine(line);
    if (!entry) continue;
    const type = entry["type"];
    if (type === "user" || type === "assistant") {
      readClaudeEntry(entry, turn, setPrompt);
    } else if (type === "event_msg") {
      const payload = asObject(entry["payload"]);
      if (payload?.["type"] === "user_message" && typeof payload["message"] === "string") {
        codexEventPrompts = true;
        if (payload["message"].trim()) setPrompt(payload["message"]);
      } else if (payload?.["type"] === "agent_message" && typeof payload["message"] === "string") {
        if (payload["message"].trim()) turn.lastMessage = payload["message"];
      }
    } else if (type === "response_item") {
      const payload = asObject(entry["payload"]) ?? {};
      if (payload["type"] === "message") {
        const said = texts(payload["content"], ["input_text", "output_text", "text"]);
        if (payload["role"] === "assistant" && said) turn.lastMessage = said;
        if (payload["role"] === "user" && said && !isInjectedContext(said)) {
          codexItemPrompt = said;
          if (!codexEventPrompts) setPrompt(said);
        }
      } else if (payload["type"] === "function_call" && payload["name"] === "update_plan") {
        const plan = updatePlanSchema.safeParse(parseJson(payload["arguments"]));
        if (plan.success) turn.plan = plan.data.plan;
      }
    }
  }
  if (turn.prompt === undefined && codexItemPrompt !== undefined) turn.prompt = codexItemPrompt;
  return turn;
}

function readClaudeEntry(
  entry: Json,
  turn: TranscriptTurn,
  setPrompt: (prompt: string) => void,
): void {
  // Meta entries (caveats, expanded skill text) and sub-agent conversations are not the user's turn.
  if (entry["isMeta"] === true || entry["isSidechain"] === true) return;
  const message = asObject(entry["message"]);
  if (!message) return;
  const content = message["content"];
  if (entry["type"] === "user") {
    // A user entry holding only tool results is the loop feeding tool output back, not a prompt.
    const said = typeof content === "string" ? content : texts(content, ["text"]);
    if (said.trim() && !said.startsWith("<local-command-")) setPrompt(said);
    return;
  }
  const said = texts(content, ["text"]);
  if (said.trim()) turn.lastMessage = said;
  if (!Array.isArray(content)) return;
  for (const part of content) {
    const block = asObject(part);
    if (block?.["type"] === "tool_use" && block["name"] === "TodoWrite") {
      const todos = todoWriteSchema.safeParse(block["input"]);
      if (todos.success) {
        turn.plan = todos.data.todos.map((todo) => ({ step: todo.content, status: todo.status }));
      }
    }
  }
}

/** Codex prepends environment and instruction messages with the user role. */
function isInjectedContext(text: string): boolean {
  const start = text.trimStart();
  return start.startsWith("<") || start.startsWith("# AGENTS.md");
}

function texts(content: unknown, types: readonly string[]): string {
  if (!Array.isArray(content)) return "";
  return content
    .map(asObject)
    .filter((part) => part !== undefined && types.includes(String(part["type"])))
    .map((part) => (typeof part?.["text"] === "string" ? part["text"] : ""))
    .filter((part) => part.length > 0)
    .join("\n");
}

function parseLine(line: string): Json | undefined {
  if (!line.trim()) return undefined;
  return asObject(parseJson(line));
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}
