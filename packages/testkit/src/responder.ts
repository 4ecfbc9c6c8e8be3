import {
  conversationOf,
  offeredToolNames,
  type ConversationEntry,
  type ConversationToolResult,
} from "./conversation.js";
import { lastUserText } from "./request-info.js";
import type { Endpoint, ScriptReply } from "./script.js";

/** A model request as a reply function sees it, the same for the three wire formats. */
export interface ScriptedRequest {
  endpoint: Endpoint;
  model: string;
  /** The parsed request body, as sent. */
  body: Record<string, unknown>;
  lastUserText: string;
  /** Names of the function tools offered to the model. */
  toolNames: string[];
  conversation: ConversationEntry[];
  /** The tool results of `conversation`, oldest first: what the tools really returned. */
  toolResults: ConversationToolResult[];
}

/**
 * Decides the reply to a request from what it carries (for a model that reacts to its tools'
 * output). Returning `undefined` leaves the request to the script's queue of replies.
 */
export type Responder = (request: ScriptedRequest) => ScriptReply | undefined;

/** The view of a request given to a {@link Responder}. */
export function scriptedRequest(
  endpoint: Endpoint,
  model: string,
  body: Record<string, unknown>,
): ScriptedRequest {
  const conversation = conversationOf(endpoint, body);
  return {
    endpoint,
    model,
    body,
    lastUserText: lastUserText(endpoint, body),
    toolNames: offeredToolNames(endpoint, body),
    conversation,
    toolResults: conversation.flatMap(({ role, ...result }) =>
      role === "tool" ? [result as ConversationToolResult] : [],
    ),
  };
}
