import type { CanonicalUsage, WireFormat } from "@hedge/model-spec";

/** One finished gateway request, as metrics and (later) the Store record it. Never a secret. */
export interface RequestRecord {
  requestId: string;
  inboundWire: WireFormat | "canonical";
  /** The model the client asked for. */
  model: string;
  provider: string | undefined;
  upstreamModel: string | undefined;
  credential: string | undefined;
  /**
   * Status returned to the client (200 even when a stream later failed; see `outcome`); 499
   * when the client went away first.
   */
  status: number;
  /** `client_closed`: the caller cancelled or hung up; never counted against a provider. */
  outcome: "ok" | "upstream_error" | "stream_error" | "gateway_error" | "client_closed";
  errorType: string | undefined;
  passThrough: boolean;
  stream: boolean;
  attempts: number;
  latencyMs: number;
  /** Time to the first byte of the upstream body. */
  ttfbMs: number | undefined;
  usage: CanonicalUsage | undefined;
  /** Who the call was for (request metadata), for `hedge stats`. */
  role?: string;
  session?: string;
  turn?: string;
  /** Tool calls in the answer. */
  toolCalls?: number;
  /** Profile of the credential used, when it was a login profile. */
  profile?: string;
  /** The id (never the key) of the gateway key the HTTP caller presented. */
  gatewayKey?: string;
  /** The request's estimated tokens, when the usage heartbeat reserved them. */
  estimatedTokens?: number;
}

/** Receives a record per finished request (metrics registry, audit, stats). */
export interface GatewayObserver {
  onRequest(record: RequestRecord): void;
}
