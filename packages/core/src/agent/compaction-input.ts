import type { CanonicalMessage, ContentPart } from "@hedge/model-spec";
import { CHARS_PER_TOKEN, estimateTokens } from "./token-estimate.js";

/** Below this many tokens a message is not clipped further: what is left would say nothing. */
const MIN_MESSAGE_TOKENS = 64;

/**
 * The messages to summarise, made to fit `budgetTokens`: the largest messages are clipped (their
 * text keeps its beginning and end around a note of what was cut) to one common size, the
 * smallest that fits, so no single oversized message (a pasted log, a huge tool result) is sent
 * again whole. Undefined when even messages clipped to the minimum would not fit.
 */
export function fitForSummary(
  messages: readonly CanonicalMessage[],
  budgetTokens: number,
): CanonicalMessage[] | undefined {
  const sizes = messages.map((message) => estimateTokens([message]));
  if (sizes.reduce((sum, size) => sum + size, 0) <= budgetTokens) return [...messages];
  const cap = largestCap(sizes, budgetTokens);
  if (cap === undefined) return undefined;
  const fitted = messages.map((message, index) =>
    (sizes[index] ?? 0) > cap ? clipMessage(message, cap) : message,
  );
  return estimateTokens(fitted) <= budgetTokens ? fitted : undefined;
}

/** The largest per-message size with which the messages sum to at most `budget` tokens. */
function largestCap(sizes: readonly number[], budget: number): number | undefined {
  const total = (cap: number): number => sizes.reduce((sum, size) => sum + Math.min(size, cap), 0);
  if (total(MIN_MESSAGE_TOKENS) > budget) return undefined;
  let low = MIN_MESSAGE_TOKENS;
  let high = Math.max(...sizes);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (total(middle) <= budget) low = middle;
    else high = middle - 1;
  }
  // The clipping note and JSON framing cost a little: leave them room.
  return Math.max(MIN_MESSAGE_TOKENS, Math.floor(low * 0.9));
}

/**
 * A copy of `message` whose text parts share about `maxTokens` tokens of text. Its reasoning is
 * left out: a summary does not need it, and signed reasoning cannot be cut.
 */
function clipMessage(message: CanonicalMessage, maxTokens: number): CanonicalMessage {
  const content = message.content.filter((part) => part.type !== "reasoning");
  const textLength = content.reduce((sum, part) => sum + textOf(part).length, 0);
  const allowed = maxTokens * CHARS_PER_TOKEN;
  const share = (length: number): number =>
    textLength === 0 ? 0 : Math.floor((allowed * length) / textLength);
  return { ...message, content: content.map((part) => clipPart(part, share)) };
}

function clipPart(part: ContentPart, share: (length: number) => number): ContentPart {
  switch (part.type) {
    case "text":
      return { ...part, text: clipText(part.text, share(part.text.length)) };
    case "tool_call":
      return { ...part, arguments: clipText(part.arguments, share(part.arguments.length)) };
    case "tool_result":
      return typeof part.content === "string"
        ? { ...part, content: clipText(part.content, share(part.content.length)) }
        : {
            ...part,
            content: part.content.map((inner) =>
              inner.type === "text"
                ? { ...inner, text: clipText(inner.text, share(inner.text.length)) }
                : inner,
            ),
          };
    default:
      return part;
  }
}

function textOf(part: ContentPart): string {
  switch (part.type) {
    case "text":
      return part.text;
    case "tool_call":
      return part.arguments;
    case "tool_result":
      return typeof part.content === "string"
        ? part.content
        : part.content.map((inner) => textOf(inner)).join("");
    default:
      return "";
  }
}

/** `text` cut to about `max` characters: its beginning and end, and how much was left out. */
function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(0, max - 80);
  const head = text.slice(0, Math.ceil(keep / 2));
  const tail = text.slice(text.length - Math.floor(keep / 2));
  return `${head}\n[… ${text.length - head.length - tail.length} characters left out for the summary …]\n${tail}`;
}
