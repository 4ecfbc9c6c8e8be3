import type { CanonicalError, CanonicalEvent, CanonicalUsage, FinishReason } from "./events.js";

/** A finished tool call. */
export interface CollectedToolCall {
  id: string;
  name: string;
  /** Whole arguments JSON text. */
  arguments: string;
}

/** Reasoning of a response, concatenated. */
export interface CollectedReasoning {
  text: string;
  signature?: string;
  encrypted_content?: string;
}

/** A whole non-streaming response, assembled from canonical events. */
export interface CanonicalResponse {
  id: string;
  model: string;
  text: string;
  reasoning: CollectedReasoning | undefined;
  tool_calls: CollectedToolCall[];
  usage: CanonicalUsage | undefined;
  finish_reason: FinishReason;
  /** Set when the stream ended in an `error` event; `finish_reason` is then `error`. */
  error: CanonicalError | undefined;
}

/**
 * Incremental collector: feed events as they arrive (e.g. while also forwarding them), then
 * read `response()`. A stream that ends with neither `finish` nor `error` counts as an error.
 */
export class ResponseCollector {
  private id = "";
  private model = "";
  private text = "";
  private reasoning: CollectedReasoning | undefined;
  private readonly toolCalls: CollectedToolCall[] = [];
  private usage: CanonicalUsage | undefined;
  private finishReason: FinishReason | undefined;
  private error: CanonicalError | undefined;

  push(event: CanonicalEvent): void {
    switch (event.type) {
      case "response.start":
        this.id = event.id;
        this.model = event.model;
        break;
      case "text.delta":
        this.text += event.text;
        break;
      case "reasoning.delta": {
        const reasoning = (this.reasoning ??= { text: "" });
        reasoning.text += event.text;
        if (event.signature !== undefined) reasoning.signature = event.signature;
        if (event.encrypted_content !== undefined) {
          reasoning.encrypted_content = event.encrypted_content;
        }
        break;
      }
      case "tool_call.start":
        this.toolCalls[event.index] = { id: event.id, name: event.name, arguments: "" };
        break;
      case "tool_call.delta":
        break;
      case "tool_call.end": {
        const call = this.toolCalls[event.index];
        if (call !== undefined) call.arguments = event.arguments;
        break;
      }
      case "usage":
        this.usage = event.usage;
        break;
      case "finish":
        this.finishReason = event.reason;
        break;
      case "error":
        this.error = event.error;
        this.finishReason = "error";
        break;
    }
  }

  response(): CanonicalResponse {
    const error =
      this.error ??
      (this.finishReason === undefined
        ? { type: "api_error", message: "the response ended before it finished" }
        : undefined);
    return {
      id: this.id,
      model: this.model,
      text: this.text,
      reasoning: this.reasoning,
      // Sparse slots would only come from a decoder bug; dropping them keeps output valid.
      tool_calls: this.toolCalls.filter((call) => call !== undefined),
      usage: this.usage,
      finish_reason: this.finishReason ?? "error",
      error,
    };
  }
}

/** Collect a whole canonical event stream (sync or async) into one response. */
export async function collectResponse(
  events: Iterable<CanonicalEvent> | AsyncIterable<CanonicalEvent>,
): Promise<CanonicalResponse> {
  const collector = new ResponseCollector();
  for await (const event of events) collector.push(event);
  return collector.response();
}

/** Synchronous `collectResponse` for an event array (non-streaming decode results). */
export function collectEvents(events: Iterable<CanonicalEvent>): CanonicalResponse {
  const collector = new ResponseCollector();
  for (const event of events) collector.push(event);
  return collector.response();
}
