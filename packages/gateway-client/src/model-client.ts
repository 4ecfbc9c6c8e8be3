import type { CanonicalRequest, EngineEvent } from "@hedge/gateway";

/** What a model call asks for: the canonical request (model, messages, tools, metadata). */
export type ModelRequest = CanonicalRequest;

/**
 * What a model call streams: `route.selected` first (which provider, model and profile serve
 * it), then canonical events (text, reasoning, tool calls, usage, finish or error).
 */
export type ModelEvent = EngineEvent;

export interface StreamOptions {
  signal?: AbortSignal;
}

/** The only way anything in hedge calls a model. */
export interface ModelClient {
  stream(request: ModelRequest, options?: StreamOptions): AsyncIterable<ModelEvent>;
}
