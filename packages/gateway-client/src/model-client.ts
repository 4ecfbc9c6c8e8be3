import type {
  CanonicalRequest,
  GatewayStatusView,
  ModelEvent,
  RouteExplanationView,
  RouteQuery,
  StatsQuery,
  StatsView,
  StatusQuery,
  TokenCountView,
  UsageReportView,
  VerdictRecord,
} from "@hedge/model-spec";

/** What a model call asks for: the canonical request (model, messages, tools, metadata). */
export type ModelRequest = CanonicalRequest;

export interface StreamOptions {
  signal?: AbortSignal;
}

/**
 * What code that only calls models needs (the agent loop's model step, compaction, the QA
 * verifier): `stream`. Every ModelClient is one.
 */
export interface ModelStreamer {
  stream(request: ModelRequest, options?: StreamOptions): AsyncIterable<ModelEvent>;
}

/**
 * The only way anything in hedge reaches models and routing state, in-process (`embedded`) or
 * over HTTP to a gateway (`remote`): both answer every method with the same views.
 */
export interface ModelClient extends ModelStreamer {
  /** A routing dry run for a model (candidates, exclusions, the would-be error); calls nothing. */
  explain(query: RouteQuery): Promise<RouteExplanationView>;
  /**
   * The input tokens of `request` as the provider it routes to counts them (Anthropic's
   * `count_tokens`, with the route's credential; no model is called), or null when that provider
   * has no count endpoint. Throws when the count fails or takes longer than about 5 s: callers
   * fall back to an estimate.
   */
  countTokens(request: ModelRequest, options?: StreamOptions): Promise<TokenCountView["count"]>;
  /** Counts a QA verdict in `hedge stats` (on the gateway that routes, for a remote client). */
  recordVerdict(verdict: VerdictRecord): Promise<void>;
  /** Headroom per profile and rate-limit window, with resets (`hedge usage`). */
  usage(): Promise<UsageReportView>;
  /** Breakers, cooldowns and marks, recent errors (`hedge gateway status`). */
  status(query?: StatusQuery): Promise<GatewayStatusView>;
  /** Model calls since an instant, grouped, with tokens, cost, latency, verdicts (`hedge stats`). */
  stats(query: StatsQuery): Promise<StatsView>;
  /** Flushes what is buffered (the audit log) and releases the store; the client is done. */
  close(): Promise<void>;
}
