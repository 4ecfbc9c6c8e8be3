import {
  ResponseCollector,
  type CanonicalRequest,
  type CanonicalResponse,
  type CanonicalUsage,
  type ContentPart,
} from "@hedge/model-spec";
import type { ModelStreamer } from "@hedge/gateway-client";
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

/** Streams one model call through the ModelClient and gathers what the loop needs. */
export async function streamModel(
  client: ModelStreamer,
  request: CanonicalRequest,
  signal: AbortSignal,
  hooks: { onRoute?: (route: RouteInfo) => void; onText?: (delta: string) => void } = {},
): Promise<ModelStep> {
  const collector = new ResponseCollector();
  try {
    for await (const event of client.stream(request, { signal })) {
      if (event.type === "route.selected") {
        hooks.onRoute?.(event);
        continue;
      }
      if (event.type === "error") {
        return stepOf(collector.response(), `model error: ${event.error.message}`);
      }
      collector.push(event);
      if (event.type === "text.delta") hooks.onText?.(event.text);
    }
  } catch (error) {
    if (signal.aborted) throw error;
    return stepOf(collector.response(), error instanceof Error ? error.message : String(error));
  }
  const response = collector.response();
  // Without an `error` event, the collector's only error is a stream that ended before `finish`.
  return stepOf(response, response.error?.message);
}

function stepOf(response: CanonicalResponse, error: string | undefined): ModelStep {
  const reasoning = response.reasoning;
  return {
    text: response.text,
    reasoning: reasoning?.text ?? "",
    reasoningPart: reasoning && {
      type: "reasoning",
      text: reasoning.text,
      ...(reasoning.signature ? { signature: reasoning.signature } : {}),
      ...(reasoning.encrypted_content ? { encrypted_content: reasoning.encrypted_content } : {}),
    },
    toolCalls: response.tool_calls,
    usage: response.usage,
    error,
  };
}
