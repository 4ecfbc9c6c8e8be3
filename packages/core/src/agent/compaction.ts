import type { CanonicalMessage } from "@hedge/model-spec";
import type { ModelStreamer } from "@hedge/gateway-client";
import type { SessionFile } from "../session/session-file.js";
import { addUsage, type TurnUsage } from "./events.js";
import type { ThreadItem } from "./items.js";
import { fitForSummary } from "./compaction-input.js";
import { streamModel } from "./model-step.js";
import { estimateTokens } from "./token-estimate.js";

export { estimateTokens };

export interface CompactionSettings {
  /** The model's context window in tokens. */
  contextWindow: number;
  /** Compact when the conversation is estimated above this share of the window. */
  threshold: number;
}

interface CompactionContext {
  client: ModelStreamer;
  model: string;
  session: SessionFile;
  signal: AbortSignal;
  compaction: CompactionSettings;
  nextItemId: () => string;
  role?: string;
  /** The login profiles that may serve the summary (the conversation's, so its cache serves). */
  profiles?: readonly string[];
}

/**
 * Which messages may be summarised: everything before the last user message when there are
 * earlier turns; within one long turn, the steps between the user's prompt and the latest
 * assistant step (which stays verbatim with its tool results, so calls and results stay paired).
 */
export function compactableRange(
  history: readonly CanonicalMessage[],
): { start: number; end: number } | undefined {
  let lastUser = -1;
  let lastAssistant = -1;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const role = history[index]?.role;
    if (lastAssistant < 0 && role === "assistant") lastAssistant = index;
    if (role === "user") {
      lastUser = index;
      break;
    }
  }
  if (lastUser >= 2) return { start: 0, end: lastUser };
  if (lastAssistant - (lastUser + 1) >= 2) return { start: lastUser + 1, end: lastAssistant };
  return undefined;
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
  return compactHistory(context, usage);
}

/**
 * Summarises the older turns now, whatever the conversation's size (`/compact`): the most recent
 * user turn and what follows stay verbatim. Undefined when there is nothing older to summarise.
 */
export async function compactHistory(
  context: CompactionContext,
  usage: TurnUsage,
): Promise<ThreadItem | undefined> {
  const history = context.session.history();
  const budget = context.compaction.contextWindow * context.compaction.threshold;
  const range = compactableRange(history);
  if (!range) return undefined;
  // The summary request must fit the window itself: the largest older messages are clipped for
  // it, so an oversized one (a pasted log, a huge tool result) is never sent again whole.
  const older = fitForSummary(history.slice(0, range.end), budget);
  if (!older) {
    return {
      id: context.nextItemId(),
      type: "error",
      message: `context compaction skipped: the ${range.end} earlier message(s) cannot be summarised within the model's window (${context.compaction.contextWindow} tokens)`,
    };
  }
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
      metadata: {
        role: context.role ?? "executor",
        session_id: context.session.id,
        ...(context.profiles ? { profiles: [...context.profiles] } : {}),
      },
      dropped: [],
    },
    context.signal,
  );
  addUsage(usage, result.usage);
  if (result.error || !result.text.trim()) {
    return {
      id: context.nextItemId(),
      type: "error",
      message: `context compaction failed: ${result.error ?? "empty summary"}`,
    };
  }
  context.session.compact(result.text.trim(), range.start, range.end - range.start);
  return {
    id: context.nextItemId(),
    type: "notice",
    message: `context compacted: ${range.end - range.start} earlier message(s) were summarised to stay within the model's window`,
  };
}
