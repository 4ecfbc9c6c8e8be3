import type { CanonicalMessage, ModelClient } from "@hedge/gateway-client";
import type { SessionFile } from "../session/session-file.js";
import type { ThreadItem, TurnUsage } from "./events.js";
import { streamModel } from "./model-step.js";

export interface CompactionSettings {
  /** The model's context window in tokens. */
  contextWindow: number;
  /** Compact when the conversation is estimated above this share of the window. */
  threshold: number;
}

/** A rough token estimate (about 4 characters a token) that needs no tokenizer. */
export function estimateTokens(messages: readonly CanonicalMessage[]): number {
  let characters = 0;
  for (const message of messages) characters += JSON.stringify(message.content).length;
  return Math.ceil(characters / 4);
}

interface CompactionContext {
  client: ModelClient;
  model: string;
  session: SessionFile;
  signal: AbortSignal;
  compaction: CompactionSettings;
  nextItemId: () => string;
  role?: string;
}

/**
 * When the conversation outgrows the window, older turns are summarised by the model and
 * replaced by the summary (the most recent user turn and what follows stay verbatim), instead
 * of failing the turn. Returns an item describing what happened, or undefined.
 */
export async function compactIfNeeded(
  context: CompactionContext,
  usage: TurnUsage,
): Promise<ThreadItem | undefined> {
  const history = context.session.history();
  const budget = context.compaction.contextWindow * context.compaction.threshold;
  if (estimateTokens(history) <= budget) return undefined;
  // Keep from the last user message on; everything before it may be summarised.
  let keepFrom = history.length;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    if (history[index]?.role === "user") {
      keepFrom = index;
      break;
    }
  }
  if (keepFrom < 2) return undefined;
  const older = history.slice(0, keepFrom);
  const result = await streamModel(
    context.client,
    {
      model: context.model,
      system:
        "You compact a coding agent's conversation. Summarise it so the agent can continue: the user's goals, decisions made, files read and changed (paths), commands run and their outcomes, and the work still open. Be concise and factual.",
      messages: [
        ...older,
        {
          role: "user",
          content: [
            { type: "text", text: "Summarise the conversation above for continuing the task." },
          ],
        },
      ],
      stream: true,
      metadata: { role: context.role ?? "executor", session_id: context.session.id },
      dropped: [],
    },
    context.signal,
  );
  if (result.usage) {
    usage.input_tokens += result.usage.input_tokens;
    usage.output_tokens += result.usage.output_tokens;
  }
  if (result.error || !result.text.trim()) {
    return {
      id: context.nextItemId(),
      type: "error",
      message: `context compaction failed: ${result.error ?? "empty summary"}`,
    };
  }
  context.session.compact(result.text.trim(), keepFrom);
  return {
    id: context.nextItemId(),
    type: "notice",
    message: `context compacted: ${keepFrom} earlier message(s) were summarised to stay within the model's window`,
  };
}
