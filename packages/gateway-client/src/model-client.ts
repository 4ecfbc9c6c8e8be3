import type { CanonicalRequest, ModelEvent } from "@hedge/model-spec";

/** What a model call asks for: the canonical request (model, messages, tools, metadata). */
export type ModelRequest = CanonicalRequest;

export interface StreamOptions {
  signal?: AbortSignal;
}

/** A route question: would a request for `model` (as `role`, limited to `profiles`) be served? */
export interface RouteQuery {
  model: string;
  role?: string;
  session?: string;
  profiles?: readonly string[];
}

/** The answer of a dry run: why the request would fail before any call, if it would. */
export interface RouteCheck {
  error?: { code: string; message: string };
}

/** A QA verdict, for the gateway's statistics (`hedge stats`). */
export interface VerdictRecord {
  session?: string;
  turn?: string;
  model: string;
  verdict: string;
}

/** The only way anything in hedge calls a model or reaches routing state. */
export interface ModelClient {
  stream(request: ModelRequest, options?: StreamOptions): AsyncIterable<ModelEvent>;
  /** Routes a request without sending it (calls no provider). */
  explain(query: RouteQuery): Promise<RouteCheck>;
  /** Records a QA verdict where the gateway keeps its statistics. */
  recordVerdict(verdict: VerdictRecord): Promise<void>;
}
