import type { CanonicalRequest, ModelEvent } from "@hedge/model-spec";

/** What a model call asks for: the canonical request (model, messages, tools, metadata). */
export type ModelRequest = CanonicalRequest;

export interface StreamOptions {
  signal?: AbortSignal;
}

/** The only way anything in hedge calls a model. */
export interface ModelClient {
  stream(request: ModelRequest, options?: StreamOptions): AsyncIterable<ModelEvent>;
}
