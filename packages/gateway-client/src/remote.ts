import type OpenAI from "openai";
import { codecFor } from "@hedge/wire";
import {
  gatewayStatusViewSchema,
  routeExplanationViewSchema,
  statsViewSchema,
  tokenCountViewSchema,
  usageReportViewSchema,
  type CanonicalEvent,
  type GatewayStatusView,
  type ModelEvent,
  type RouteExplanationView,
  type RouteQuery,
  type StatsQuery,
  type StatsView,
  type StatusQuery,
  type TokenCountView,
  type UsageReportView,
  type VerdictRecord,
} from "@hedge/model-spec";
import type { ModelClient, ModelRequest, StreamOptions } from "./model-client.js";
import { callAdmin, type AdminEndpoint, type ViewSchema } from "./remote-admin.js";

/** The gateway gives its provider 5 s to count; a little more for the hop. */
const COUNT_WAIT_MS = 6_000;

export interface RemoteClientOptions {
  /** Gateway base URL, e.g. `http://127.0.0.1:4141/v1` (a `/v1` suffix is added when missing). */
  url: string;
  /** Gateway key (hedge's own, or any OpenAI-compatible gateway's). */
  key: string | undefined;
  /** The variable the key comes from, named in hints (default `HEDGE_GATEWAY_KEY`). */
  keyEnv?: string;
  timeoutMs?: number;
  /** For the admin API's answers (explain, usage, status, stats): default 30 s. */
  adminTimeoutMs?: number;
}

/**
 * A gateway over HTTP, spoken through the official `openai` SDK in the Chat Completions format
 * (what every OpenAI-compatible gateway serves). hedge's own gateway names the route it chose in
 * `x-hedge-route`; other gateways yield a route event naming only the gateway. Routing state
 * (explain, verdicts, usage, status, stats) comes from hedge's admin API (`/hedge/v1/*`), which
 * only a hedge gateway serves.
 */
export class RemoteModelClient implements ModelClient {
  /** The SDK, loaded on the first model call: a process that only reads views never parses it. */
  private sdk: Promise<OpenAI> | undefined;
  private readonly sdkOptions: {
    baseURL: string;
    apiKey: string;
    maxRetries: number;
    timeout: number;
  };
  private readonly url: string;
  private readonly admin: AdminEndpoint;

  constructor(options: RemoteClientOptions) {
    const base = options.url.replace(/\/+$/, "");
    this.url = /\/v\d+$/.test(base) ? base : `${base}/v1`;
    this.sdkOptions = {
      baseURL: this.url,
      apiKey: options.key ?? "hedge-no-key",
      maxRetries: 0,
      timeout: options.timeoutMs ?? 600_000,
    };
    this.admin = {
      gateway: options.url,
      key: options.key,
      keyEnv: options.keyEnv ?? "HEDGE_GATEWAY_KEY",
      timeoutMs: options.adminTimeoutMs ?? 30_000,
    };
  }

  explain(query: RouteQuery): Promise<RouteExplanationView> {
    return this.call("POST", "route/explain", routeExplanationViewSchema, query);
  }

  /** `POST /hedge/v1/count-tokens`: the gateway's routed provider counts (6 s at most). */
  async countTokens(request: ModelRequest): Promise<TokenCountView["count"]> {
    const endpoint = { ...this.admin, timeoutMs: Math.min(this.admin.timeoutMs, COUNT_WAIT_MS) };
    const answer = await callAdmin(
      endpoint,
      { method: "POST", path: "count-tokens", body: request },
      tokenCountViewSchema,
    );
    return answer?.count ?? null;
  }

  async recordVerdict(verdict: VerdictRecord): Promise<void> {
    await callAdmin(this.admin, { method: "POST", path: "verdicts", body: verdict }, undefined);
  }

  usage(): Promise<UsageReportView> {
    return this.call("GET", "usage", usageReportViewSchema);
  }

  status(query: StatusQuery = {}): Promise<GatewayStatusView> {
    const search = query.limit === undefined ? "" : `?limit=${query.limit}`;
    return this.call("GET", `status${search}`, gatewayStatusViewSchema);
  }

  stats(query: StatsQuery): Promise<StatsView> {
    const search = new URLSearchParams({
      since: new Date(query.since).toISOString(),
      by: query.by,
    });
    return this.call("GET", `stats?${search.toString()}`, statsViewSchema);
  }

  /** Nothing is held between calls. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private async call<T>(
    method: "GET" | "POST",
    path: string,
    schema: ViewSchema<T>,
    body?: unknown,
  ): Promise<T> {
    const answer = await callAdmin(
      this.admin,
      { method, path, ...(body === undefined ? {} : { body }) },
      schema,
    );
    return answer as T;
  }

  async *stream(request: ModelRequest, options: StreamOptions = {}): AsyncGenerator<ModelEvent> {
    const codec = codecFor("chat");
    const body = {
      ...codec.encodeRequest({ ...request, stream: true }, request.model),
      stream: true,
    };
    const headers: Record<string, string> = {};
    if (request.metadata.role) headers["x-hedge-role"] = request.metadata.role;
    if (request.metadata.session_id) headers["x-hedge-session"] = request.metadata.session_id;
    const client = await (this.sdk ??= import("openai").then(
      ({ default: OpenAISdk }) => new OpenAISdk(this.sdkOptions),
    ));
    const { data, response } = await client.chat.completions
      .create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, {
        headers,
        ...(options.signal ? { signal: options.signal } : {}),
      })
      .withResponse();
    yield routeFromHeader(response.headers.get("x-hedge-route"), request.model, this.url);
    const decoder = codec.createStreamDecoder();
    try {
      for await (const chunk of data) {
        yield* decoder.push({ data: JSON.stringify(chunk) });
      }
      yield* decoder.push({ data: "[DONE]" });
      yield* decoder.end();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const event: CanonicalEvent = {
        type: "error",
        error: {
          type: "api_error",
          message: error instanceof Error ? error.message : String(error),
        },
      };
      yield event;
    }
  }
}

function routeFromHeader(header: string | null, model: string, url: string): ModelEvent {
  const fields = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const [key, value] = part.split("=").map((text) => text.trim());
    if (key && value) fields.set(key, value);
  }
  return {
    type: "route.selected",
    provider: fields.get("provider") ?? `gateway:${new URL(url).host}`,
    model,
    upstreamModel: fields.get("model") ?? model,
    credential: "gateway",
    profile: fields.get("profile"),
  };
}
