import type { Dispatcher } from "undici";
import { Agent } from "./undici-lite.js";
import type { ResolvedProvider } from "../providers/resolve.js";
import type { WireFormat } from "@hedge/model-spec";
import type { CancelSignal } from "./cancellation.js";
import type { Attempt } from "./route.js";
import { dispatchUpstream, type UpstreamResponse } from "./upstream-body.js";

const PATHS: Record<WireFormat, string> = {
  chat: "/chat/completions",
  responses: "/responses",
  messages: "/messages",
};

const ANTHROPIC_VERSION = "2023-06-01";

/** The longest wait for a provider's response headers, whatever is left of a request's budget. */
const HEADERS_TIMEOUT_MS = 120_000;

/** Inbound headers worth carrying upstream when the wire is the same (betas, versions). */
const FORWARDED_HEADERS = ["anthropic-beta", "anthropic-version", "openai-beta"] as const;

/** A shared keep-alive pool for upstream calls; one per engine. */
export function createUpstreamDispatcher(): Dispatcher {
  return new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 256 });
}

export interface UpstreamCall {
  attempt: Attempt;
  /** Serialized JSON body in the provider's wire. */
  body: string | Buffer;
  stream: boolean;
  /** Headers from the inbound request to forward (only meaningful for the same wire). */
  inboundHeaders?: Readonly<Record<string, string | string[] | undefined>>;
  signal?: CancelSignal;
  dispatcher: Dispatcher;
  /** Time to the response headers before giving up (the request's budget left; at most 120 s). */
  headersTimeoutMs?: number;
}

export type { UpstreamResponse } from "./upstream-body.js";

/** Origin and path of a provider's endpoint, parsed once per provider (not per request). */
const endpoints = new WeakMap<ResolvedProvider, { origin: string; path: string }>();

function endpointOf(provider: ResolvedProvider): { origin: string; path: string } {
  let endpoint = endpoints.get(provider);
  if (!endpoint) {
    const url = new URL(`${provider.baseUrl}${PATHS[provider.wire]}`);
    endpoint = { origin: url.origin, path: `${url.pathname}${url.search}` };
    endpoints.set(provider, endpoint);
  }
  return endpoint;
}

/** Sends one request to a provider. The body streams; the caller must consume or dump it. */
export async function callUpstream(call: UpstreamCall): Promise<UpstreamResponse> {
  const { attempt } = call;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: call.stream ? "text/event-stream" : "application/json",
    ...attempt.provider.headers,
  };
  if (call.inboundHeaders) {
    for (const name of FORWARDED_HEADERS) {
      const value = call.inboundHeaders[name];
      if (typeof value === "string") headers[name] = value;
    }
  }
  addAuthHeaders(headers, attempt.provider.wire, attempt.credential.secret);
  const { origin, path } = endpointOf(attempt.provider);
  return dispatchUpstream(
    call.dispatcher,
    {
      origin,
      path,
      method: "POST",
      headers,
      body: call.body,
      headersTimeout: Math.min(call.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, HEADERS_TIMEOUT_MS),
      bodyTimeout: 300_000,
    },
    call.signal,
  );
}

/**
 * Adds what authenticates `secret` to a provider speaking `wire`: Anthropic's `x-api-key` (and
 * its API version, unless the provider's headers set one), else a Bearer token.
 */
export function addAuthHeaders(
  headers: Record<string, string>,
  wire: WireFormat,
  secret: string | undefined,
): void {
  if (wire === "messages") {
    headers["anthropic-version"] ??= ANTHROPIC_VERSION;
    if (secret) headers["x-api-key"] = secret;
  } else if (secret) {
    headers["authorization"] = `Bearer ${secret}`;
  }
}
