import type { JsonValue, ScriptReply, StopReason } from "./script.js";

/** A tool call with its arguments as the JSON text sent on the wire. */
export interface PlannedToolCall {
  name: string;
  argumentsJson: string;
  /** Parsed arguments, or the raw text when it is not a JSON object (Anthropic `input`). */
  input: JsonValue;
  id: string | undefined;
}

/** Token counts resolved from the script or estimated. */
export interface PlannedUsage {
  input: number;
  output: number;
  cached: number;
  cacheCreation: number;
  reasoning: number;
}

/** A successful reply, normalised for the three wire formats. */
export interface ReplyPlan {
  model: string;
  text: string | undefined;
  reasoning: string | undefined;
  reasoningSignature: string | undefined;
  toolCalls: PlannedToolCall[];
  usage: PlannedUsage;
  stopReason: StopReason;
}

/** Roughly four characters a token, never zero for non-empty text. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

function planToolCall(call: NonNullable<ScriptReply["toolCalls"]>[number]): PlannedToolCall {
  if (typeof call.arguments !== "string") {
    return {
      name: call.name,
      argumentsJson: JSON.stringify(call.arguments),
      input: call.arguments,
      id: call.id,
    };
  }
  let input: JsonValue = call.arguments;
  try {
    const parsed = JSON.parse(call.arguments) as JsonValue;
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) input = parsed;
  } catch {
    // Raw arguments may be invalid JSON on purpose; they are then sent verbatim.
  }
  return { name: call.name, argumentsJson: call.arguments, input, id: call.id };
}

/** Resolves defaults of a reply for one request (`promptText` feeds the input-token estimate). */
export function planReply(
  reply: ScriptReply,
  requestedModel: string,
  promptText: string,
): ReplyPlan {
  const toolCalls = (reply.toolCalls ?? []).map(planToolCall);
  const reasoningTokens = reply.usage?.reasoningTokens ?? estimateTokens(reply.reasoning ?? "");
  const visibleText =
    (reply.text ?? "") + toolCalls.map((call) => call.name + call.argumentsJson).join("");
  const usage: PlannedUsage = {
    input: reply.usage?.inputTokens ?? estimateTokens(promptText),
    output: reply.usage?.outputTokens ?? estimateTokens(visibleText) + reasoningTokens,
    cached: reply.usage?.cachedTokens ?? 0,
    cacheCreation: reply.usage?.cacheCreationTokens ?? 0,
    reasoning: reasoningTokens,
  };
  return {
    model: reply.model ?? requestedModel,
    text: reply.text,
    reasoning: reply.reasoning,
    reasoningSignature: reply.reasoningSignature,
    toolCalls,
    usage,
    stopReason: reply.stopReason ?? (toolCalls.length > 0 ? "tool_use" : "end_turn"),
  };
}

/** Splits text into word-sized deltas so clients see a real incremental stream. */
export function splitText(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text.length > 0 ? [text] : []);
}

/** Splits JSON argument text into a few pieces, as providers stream partial JSON. */
export function splitArguments(text: string, size = 12): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size)
    pieces.push(text.slice(start, start + size));
  return pieces;
}
