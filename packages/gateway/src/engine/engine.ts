import { randomBytes } from "node:crypto";
import type { Dispatcher } from "undici";
import type { CanonicalEvent } from "../canonical/events.js";
import type { CanonicalRequest } from "../canonical/request.js";
import type { PolicyConfig } from "../config-schema.js";
import { GatewayError } from "../errors.js";
import type { ResolvedProvider } from "../providers/resolve.js";
import { SseParser } from "../wire/sse.js";
import { codecFor } from "../wire/registry.js";
import type { CredentialResolver } from "./credentials.js";
import type { GatewayObserver, RequestRecord } from "./observer.js";
import { planRoute, type Attempt, type RouteInput, type RoutePlan } from "./route.js";
import { callUpstream, createUpstreamDispatcher, type UpstreamResponse } from "./upstream.js";

/** Emitted first on a canonical stream: which route serves it. Never carries a secret. */
export interface RouteSelectedEvent {
  type: "route.selected";
  provider: string;
  model: string;
  upstreamModel: string;
  credential: string;
  profile: string | undefined;
}

export type EngineEvent = CanonicalEvent | RouteSelectedEvent;

export interface GatewayEngineOptions {
  providers: readonly ResolvedProvider[];
  aliases: Readonly<Record<string, string>>;
  policy: PolicyConfig;
  credentials: CredentialResolver;
  observer?: GatewayObserver;
  dispatcher?: Dispatcher;
}

/** Upstream statuses worth trying on the next route (before any byte reached the client). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

// A random process prefix and a counter: unique without a random draw per request.
const REQUEST_ID_PREFIX = `req_${randomBytes(6).toString("hex")}`;
let requestCounter = 0;

export function newRequestId(): string {
  requestCounter += 1;
  return `${REQUEST_ID_PREFIX}${requestCounter.toString(36).padStart(6, "0")}`;
}

/**
 * The gateway engine: routes a request, calls the provider, translates between wires. Runs
 * in-process (embedded ModelClient) and behind the HTTP server.
 */
export class GatewayEngine {
  readonly providers: readonly ResolvedProvider[];
  readonly dispatcher: Dispatcher;
  private readonly options: GatewayEngineOptions;

  constructor(options: GatewayEngineOptions) {
    this.options = options;
    this.providers = options.providers;
    this.dispatcher = options.dispatcher ?? createUpstreamDispatcher();
  }

  /** The seam where routing lives: every viable attempt for a request, in order. */
  route(input: RouteInput): RoutePlan {
    return planRoute(input, this.options);
  }

  observe(record: RequestRecord): void {
    this.options.observer?.onRequest(record);
  }

  /** Model names a client may ask for: aliases and the models providers declare. */
  listModels(): { id: string; provider: string }[] {
    const models = Object.keys(this.options.aliases).map((alias) => ({
      id: alias,
      provider: "alias",
    }));
    for (const provider of this.providers) {
      for (const model of provider.models ?? [])
        models.push({ id: `${provider.id}/${model}`, provider: provider.id });
    }
    return models;
  }

  /**
   * A canonical request in, canonical events out (the embedded client's path). The first event
   * is `route.selected`; routes are tried in order until one answers, and never again once an
   * event of the response was yielded.
   */
  async *stream(
    request: CanonicalRequest,
    options: { signal?: AbortSignal; requestId?: string } = {},
  ): AsyncGenerator<EngineEvent> {
    const started = performance.now();
    const requestId = options.requestId ?? newRequestId();
    const plan = this.route({
      model: request.model,
      ...(request.metadata.role ? { role: request.metadata.role } : {}),
    });
    const record: RequestRecord = {
      requestId,
      inboundWire: "canonical",
      model: request.model,
      provider: undefined,
      upstreamModel: undefined,
      credential: undefined,
      status: 0,
      outcome: "ok",
      errorType: undefined,
      passThrough: false,
      stream: true,
      attempts: 0,
      latencyMs: 0,
      ttfbMs: undefined,
      usage: undefined,
    };
    let lastError: GatewayError | undefined;
    try {
      for (const attempt of plan.attempts) {
        record.attempts += 1;
        const response = await this.tryAttempt(attempt, request, options.signal).catch(
          (error: unknown) => {
            lastError = toGatewayError(error, attempt);
            return undefined;
          },
        );
        if (!response) continue;
        if (response.statusCode >= 400) {
          const codec = codecFor(attempt.provider.wire);
          const failure = codec.decodeError(response.statusCode, await response.body.text());
          lastError = new GatewayError(
            "upstream_error",
            `${attempt.provider.id}: ${failure.message}`,
            {
              status: response.statusCode,
              type: failure.type,
              retryable: isRetryableStatus(response.statusCode),
            },
          );
          if (lastError.retryable) continue;
          break;
        }
        setRoute(record, attempt);
        record.status = response.statusCode;
        yield routeEvent(attempt, plan.model);
        yield* this.decodeUpstream(attempt, response, record, started);
        return;
      }
      const error =
        lastError ??
        new GatewayError("no_route", `no route answered for "${request.model}"`, {
          status: 502,
          type: "api_error",
        });
      record.status = error.status;
      record.outcome = "upstream_error";
      record.errorType = error.type;
      throw error;
    } finally {
      record.latencyMs = performance.now() - started;
      this.observe(record);
    }
  }

  private async tryAttempt(
    attempt: Attempt,
    request: CanonicalRequest,
    signal: AbortSignal | undefined,
  ): Promise<UpstreamResponse> {
    const codec = codecFor(attempt.provider.wire);
    const body = codec.encodeRequest({ ...request, stream: true }, attempt.upstreamModel);
    return callUpstream({
      attempt,
      body: JSON.stringify(body),
      stream: true,
      dispatcher: this.dispatcher,
      ...(signal ? { signal } : {}),
    });
  }

  private async *decodeUpstream(
    attempt: Attempt,
    response: UpstreamResponse,
    record: RequestRecord,
    started: number,
  ): AsyncGenerator<CanonicalEvent> {
    const decoder = codecFor(attempt.provider.wire).createStreamDecoder();
    const parser = new SseParser();
    let sawEnd = false;
    try {
      for await (const chunk of response.body) {
        record.ttfbMs ??= performance.now() - started;
        for (const message of parser.push(chunk as Uint8Array)) {
          for (const event of decoder.push(message)) {
            sawEnd = trackEvent(event, record) || sawEnd;
            yield event;
          }
        }
      }
      for (const message of parser.end()) {
        for (const event of decoder.push(message)) {
          sawEnd = trackEvent(event, record) || sawEnd;
          yield event;
        }
      }
      for (const event of decoder.end()) {
        sawEnd = trackEvent(event, record) || sawEnd;
        yield event;
      }
    } catch (error) {
      if (record.outcome === "ok") record.outcome = "stream_error";
      const message = error instanceof Error ? error.message : String(error);
      yield {
        type: "error",
        error: { type: "api_error", message: `${attempt.provider.id} stream failed: ${message}` },
      };
      return;
    } finally {
      if (!sawEnd) response.body.destroy();
    }
  }
}

function trackEvent(event: CanonicalEvent, record: RequestRecord): boolean {
  if (event.type === "usage") record.usage = event.usage;
  else if (event.type === "error") {
    record.outcome = "stream_error";
    record.errorType = event.error.type;
    return true;
  } else if (event.type === "finish") return true;
  return false;
}

export function setRoute(record: RequestRecord, attempt: Attempt): void {
  record.provider = attempt.provider.id;
  record.upstreamModel = attempt.upstreamModel;
  record.credential = attempt.credential.id;
}

export function routeEvent(attempt: Attempt, model: string): RouteSelectedEvent {
  return {
    type: "route.selected",
    provider: attempt.provider.id,
    model,
    upstreamModel: attempt.upstreamModel,
    credential: attempt.credential.id,
    profile: attempt.credential.profile,
  };
}

export function toGatewayError(error: unknown, attempt: Attempt): GatewayError {
  if (error instanceof GatewayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const aborted = error instanceof Error && error.name === "AbortError";
  return new GatewayError(
    aborted ? "aborted" : "upstream_unreachable",
    `${attempt.provider.id}: ${message}`,
    {
      status: aborted ? 499 : 502,
      type: "api_error",
      retryable: !aborted,
      cause: error,
    },
  );
}
