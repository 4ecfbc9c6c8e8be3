import type {
  CanonicalMessage,
  CanonicalTool,
  CanonicalUsage,
  ContentPart,
} from "@hedge/model-spec";
import type { ModelClient } from "@hedge/gateway-client";
import type { AgentEvent } from "../agent/events.js";
import type { AsideItem, RouteDecisionItem } from "../agent/items.js";
import { streamModel } from "../agent/model-step.js";
import type { RoleModel } from "../roles/pipeline.js";
import { repairHistory, type AsideRecord } from "../session/session-file.js";
import { EventChannel } from "./event-channel.js";

/** What a side question needs: the conversation to fork and the route that holds it. */
export interface AsideRequest {
  id: string;
  question: string;
  /** The main conversation now (a copy: the fork never changes it). */
  history: readonly CanonicalMessage[];
  /** The same system prompt and tools as the conversation, so the provider's cache serves them. */
  system: string;
  tools: readonly CanonicalTool[];
  role: string;
  model: string;
  /** The profile that served the conversation last (sticky), else the role's pool. */
  profiles: readonly string[] | undefined;
  sessionId: string;
}

const ASIDE_PREAMBLE =
  "[side question: answer it from what you already know of this conversation, briefly; do not call tools, and do not change the plan. The main task goes on afterwards.]";

/**
 * Answers a side question on a fork of the conversation: the history as it is now (tool calls
 * still running get a placeholder result), plus the question, sent with the conversation's
 * system prompt, tools, role, session and profile, so the gateway keeps the route and the
 * provider reuses its prompt cache. Emits the `aside` item (started, text deltas, completed);
 * returns the finished item and the call's usage.
 */
export async function answerAside(
  client: ModelClient,
  request: AsideRequest,
  emit: (event: AgentEvent) => void,
  signal: AbortSignal,
): Promise<{ item: AsideItem; usage: CanonicalUsage | undefined }> {
  const question: ContentPart = { type: "text", text: `${ASIDE_PREAMBLE}\n${request.question}` };
  const item: AsideItem = {
    id: request.id,
    type: "aside",
    question: request.question,
    text: "",
    status: "in_progress",
    model: request.model,
  };
  emit({ type: "item.started", item });
  let route: { provider: string; profile: string | undefined } | undefined;
  const step = await streamModel(
    client,
    {
      model: request.model,
      system: request.system,
      messages: [...repairHistory(request.history), { role: "user", content: [question] }],
      tools: [...request.tools],
      tool_choice: "auto",
      stream: true,
      metadata: {
        role: request.role,
        session_id: request.sessionId,
        ...(request.profiles ? { profiles: [...request.profiles] } : {}),
      },
      dropped: [],
    },
    signal,
    {
      onRoute: (selected) => {
        route = { provider: selected.provider, profile: selected.profile };
      },
      onText: (delta) => emit({ type: "item.delta", item_id: request.id, field: "text", delta }),
    },
  ).catch((error: unknown) => {
    if (signal.aborted) return { error: "interrupted", text: "", usage: undefined };
    throw error;
  });
  const error = step.error ?? (step.text.trim() ? undefined : "the model gave no answer");
  const done: AsideItem = {
    ...item,
    text: step.text,
    status: error ? "failed" : "completed",
    ...(route ? { provider: route.provider, profile: route.profile ?? null } : {}),
    ...(step.usage ? { cached_input_tokens: step.usage.cached_input_tokens } : {}),
    ...(error ? { error } : {}),
  };
  emit({ type: "item.completed", item: done });
  return { item: done, usage: step.usage };
}

/** What a thread gives a side question: the conversation, its role, and where to record it. */
export interface AsideFork {
  client: ModelClient;
  id: string;
  sessionId: string;
  role: string;
  roleModel: RoleModel;
  /** The route that served the role last (its profile is kept), when known. */
  served: RouteDecisionItem | undefined;
  history: readonly CanonicalMessage[];
  system: string;
  tools: readonly CanonicalTool[];
  /** Records the finished aside (and its usage). */
  record(item: AsideItem, usage: CanonicalUsage | undefined): void;
}

/**
 * Starts a side question on a fork (`Thread.ask`): its events stream as they come; `signal` (or
 * breaking out of the iteration) stops it. The finished aside is recorded before the stream ends.
 */
export function forkAside(
  fork: AsideFork,
  question: string,
  signal: AbortSignal | undefined,
): AsyncIterable<AgentEvent> {
  const { served, roleModel } = fork;
  const profiles = served?.profile ? [served.profile] : roleModel.profiles;
  const abort = new AbortController();
  signal?.addEventListener("abort", () => abort.abort(), { once: true });
  const channel = new EventChannel<AgentEvent>(() => abort.abort());
  const answered = answerAside(
    fork.client,
    {
      id: fork.id,
      question,
      history: fork.history,
      system: fork.system,
      tools: fork.tools,
      role: fork.role,
      // The route's model as the conversation asked for it (the same route, the same cache).
      model: served?.model ?? roleModel.model,
      profiles,
      sessionId: fork.sessionId,
    },
    (event) => channel.push(event),
    abort.signal,
  );
  void answered
    .then(({ item, usage }) => {
      fork.record(item, usage);
      channel.end();
    })
    .catch((error: unknown) => channel.fail(error));
  return channel;
}

/** The session record of a finished aside. */
export function asideRecord(item: AsideItem): Omit<AsideRecord, "type" | "at"> {
  return {
    id: item.id,
    question: item.question,
    answer: item.text,
    model: item.model,
    ...(item.provider === undefined ? {} : { provider: item.provider }),
    ...(item.profile === undefined ? {} : { profile: item.profile }),
    ...(item.error === undefined ? {} : { error: item.error }),
  };
}
