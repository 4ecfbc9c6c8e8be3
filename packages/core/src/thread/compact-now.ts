import { emptyTurnUsage, type TurnUsage } from "../agent/events.js";
import type { ThreadItem } from "../agent/items.js";
import type { ModelStreamer } from "@hedge/gateway-client";
import { compactHistory } from "../agent/compaction.js";
import { estimateTokens } from "../agent/token-estimate.js";
import type { SessionFile } from "../session/session-file.js";

/** What `/compact` reports: the conversation's estimated size before and after, and the item. */
export interface CompactResult {
  /** A notice (compacted) or an error (the summary failed; the history is unchanged). */
  item: ThreadItem;
  tokensBefore: number;
  tokensAfter: number;
  usage: TurnUsage;
}

/**
 * Compacts a conversation now (`/compact`): the older turns are summarised by the model that
 * holds the context (its route's model and profile), and replaced by the summary; the most
 * recent turn stays verbatim. Throws one line when there is nothing older to summarise.
 */
export async function compactNow(input: {
  client: ModelStreamer;
  session: SessionFile;
  model: string;
  role: string;
  profiles: readonly string[] | undefined;
  contextWindow: number;
  compactThreshold: number;
  nextItemId: () => string;
  signal: AbortSignal;
}): Promise<CompactResult> {
  const tokensBefore = estimateTokens(input.session.history());
  const usage = emptyTurnUsage();
  const item = await compactHistory(
    {
      client: input.client,
      model: input.model,
      session: input.session,
      signal: input.signal,
      compaction: { contextWindow: input.contextWindow, threshold: input.compactThreshold },
      nextItemId: input.nextItemId,
      role: input.role,
      ...(input.profiles ? { profiles: input.profiles } : {}),
    },
    usage,
  );
  const tokensAfter = estimateTokens(input.session.history());
  if (!item)
    return {
      item: {
        id: input.nextItemId(),
        type: "notice",
        message: `nothing to compact yet: the conversation is its latest turn (about ${tokensBefore.toLocaleString("en-US")} tokens)`,
      },
      tokensBefore,
      tokensAfter,
      usage,
    };
  const message =
    item.type === "notice"
      ? `${item.message} · about ${tokensBefore.toLocaleString("en-US")} → ${tokensAfter.toLocaleString("en-US")} tokens`
      : item.type === "error"
        ? item.message
        : "";
  return {
    item: item.type === "notice" ? { ...item, message } : item,
    tokensBefore,
    tokensAfter,
    usage,
  };
}
