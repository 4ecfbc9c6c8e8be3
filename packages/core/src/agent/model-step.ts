import type {
  CanonicalRequest,
  CanonicalUsage,
  ContentPart,
  ModelClient,
} from "@hedge/gateway-client";
import type { ProfileSwitchItem } from "./events.js";
import type { ToolCallRequest } from "./tool-host.js";

/** What one model call produced. */
export interface ModelStep {
  text: string;
  reasoning: string;
  /** Reasoning to replay to the provider next step (signature / encrypted content kept). */
  reasoningPart: Extract<ContentPart, { type: "reasoning" }> | undefined;
  toolCalls: ToolCallRequest[];
  usage: CanonicalUsage | undefined;
  /** Set when the call failed: the message for `turn.failed`. */
  error: string | undefined;
}

export interface RouteInfo {
  provider: string;
  model: string;
  upstreamModel: string;
  profile: string | undefined;
  /** Set by the usage heartbeat when it moved this call away from another profile. */
  switchedFrom?: string;
  switchReason?: string;
}

/**
 * The entry a turn's route set keeps for a route announced for a role, so each role's route is
 * announced once (a role's own entries start with `ROLE/`).
 */
export function routeKey(
  role: string,
  route: Pick<RouteInfo, "provider" | "upstreamModel"> & { profile?: string | undefined },
): string {
  return `${role}/${route.provider}/${route.upstreamModel}/${route.profile ?? ""}`;
}

/**
 * A `profile_switch` item when this call's profile differs from the one that served the
 * provider before in the turn, or when the gateway says it moved the call. The turn's route set
 * also remembers which profile served each provider (entries `profile@PROVIDER=NAME`).
 */
export function profileSwitchItem(
  seen: Set<string>,
  route: RouteInfo,
  nextItemId: () => string,
): ProfileSwitchItem | undefined {
  if (route.profile === undefined) return undefined;
  const prefix = `profile@${route.provider}=`;
  const entry = [...seen].find((key) => key.startsWith(prefix));
  const previous = entry?.slice(prefix.length);
  if (entry) seen.delete(entry);
  seen.add(`${prefix}${route.profile}`);
  const from = previous ?? route.switchedFrom;
  if (from === undefined || from === route.profile) return undefined;
  return {
    id: nextItemId(),
    type: "profile_switch",
    provider: route.provider,
    from,
    to: route.profile,
    reason: route.switchReason ?? "the gateway moved this call to another profile",
  };
}

/** Streams one model call through the ModelClient and gathers what the loop needs. */
export async function streamModel(
  client: ModelClient,
  request: CanonicalRequest,
  signal: AbortSignal,
  hooks: { onRoute?: (route: RouteInfo) => void; onText?: (delta: string) => void } = {},
): Promise<ModelStep> {
  const step: ModelStep = {
    text: "",
    reasoning: "",
    reasoningPart: undefined,
    toolCalls: [],
    usage: undefined,
    error: undefined,
  };
  const calls = new Map<number, ToolCallRequest>();
  let finished = false;
  try {
    for await (const event of client.stream(request, { signal })) {
      switch (event.type) {
        case "route.selected":
          hooks.onRoute?.(event);
          break;
        case "text.delta":
          step.text += event.text;
          hooks.onText?.(event.text);
          break;
        case "reasoning.delta":
          step.reasoning += event.text;
          step.reasoningPart = {
            type: "reasoning",
            text: step.reasoning,
            ...((event.signature ?? step.reasoningPart?.signature)
              ? { signature: (event.signature ?? step.reasoningPart?.signature) as string }
              : {}),
            ...((event.encrypted_content ?? step.reasoningPart?.encrypted_content)
              ? {
                  encrypted_content: (event.encrypted_content ??
                    step.reasoningPart?.encrypted_content) as string,
                }
              : {}),
          };
          break;
        case "tool_call.start":
          calls.set(event.index, { id: event.id, name: event.name, arguments: "" });
          break;
        case "tool_call.delta":
          break;
        case "tool_call.end": {
          const call = calls.get(event.index);
          if (call) call.arguments = event.arguments;
          break;
        }
        case "usage":
          step.usage = event.usage;
          break;
        case "finish":
          finished = true;
          break;
        case "error":
          step.error = `model error: ${event.error.message}`;
          return step;
      }
    }
  } catch (error) {
    if (signal.aborted) throw error;
    step.error = error instanceof Error ? error.message : String(error);
    return step;
  }
  if (!finished && !step.error) step.error = "the model stream ended before the answer finished";
  step.toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
  return step;
}
