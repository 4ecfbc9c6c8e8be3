import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import type { CanonicalError, WireFormat } from "@hedge/model-spec";
import { codecFor } from "@hedge/wire";
import type { ProfileSwitch } from "../usage/switch-log.js";
import type { AttemptLog, RunOutcome, TryLimits, TryResult } from "./attempt-runner.js";
import type { CancelSignal } from "./cancellation.js";
import type { RequestRecord } from "./observer.js";
import { newRecord, setClientClosed, setRoute, setTriedRoute } from "./records.js";
import type { Attempt, Caller, RouteInput, RoutePlan } from "./route.js";
import { tryUpstream } from "./try-upstream.js";
import { resetAtOf } from "./unavailable.js";
import { callUpstream, type UpstreamCall, type UpstreamResponse } from "./upstream.js";

/**
 * One model call, whoever makes it (the embedded client with a canonical request, the HTTP
 * server with a request in a client's wire): what routing needs, and how to make the body.
 */
export interface ModelCall {
  /** The model asked for: an alias, `provider/model`, or a model a provider declares. */
  model: string;
  stream: boolean;
  role?: string;
  session?: string;
  turn?: string;
  /** Only these login profiles may serve (a role's profile pool). */
  profiles?: readonly string[];
  caller?: Caller;
  /** The request's likely tokens (prompt plus output room); asked only by the usage heartbeat. */
  estimateTokens: () => number;
  /**
   * The body for one attempt in that attempt's provider wire, made when the attempt is tried
   * (the caller's bytes with the model rewritten, or its request translated): a request is
   * translated only when a route of another wire is tried.
   */
  bodyFor: (attempt: Attempt) => string | Buffer;
  /** The caller's own wire and headers: its beta/version headers go to a route of that wire. */
  inbound?: { wire: WireFormat; headers: IncomingHttpHeaders };
  /**
   * When every route is out for its limits, wait for the earliest reset and try again (the
   * engine's `waitForReset`, `--wait-for-reset`) instead of failing.
   */
  waitForReset?: boolean;
}

/** What a call opened: the upstream's response to stream or read, or the caller's own fault. */
export type Opened =
  | {
      kind: "response";
      attempt: Attempt;
      /** The model name after alias resolution. */
      model: string;
      response: UpstreamResponse;
      /** The profile pool moved to another member for this call. */
      switched?: ProfileSwitch;
    }
  | {
      /** The provider refused the request as the caller's fault (400/404/413/422): not retried. */
      kind: "caller_fault";
      attempt: Attempt;
      model: string;
      status: number;
      /** The upstream's error body as it came (in the attempt's provider wire). */
      body: string;
      /** That error read by the provider wire's codec. */
      error: CanonicalError;
      /** The response the error came in, when there was one (its rate-limit headers). */
      response: UpstreamResponse | undefined;
    };

/** What a call is started with, before anything about the request is known. */
export interface ExchangeStart {
  requestId: string;
  inboundWire: RequestRecord["inboundWire"];
  /** The caller's cancellation: a cancel is never a provider's failure. */
  signal?: CancelSignal;
}

/**
 * What an exchange uses of its engine (built once by the engine; never exposed beyond the
 * engine's folder).
 */
export interface Conductor {
  now: () => number;
  dispatcher: Dispatcher;
  /** Whether the usage heartbeat is on (it needs each request's estimated tokens). */
  usage: boolean;
  waitForReset:
    ((resetAt: number, reason: string, signal?: AbortSignal) => Promise<void>) | undefined;
  route(input: RouteInput): Promise<RoutePlan>;
  run(
    plan: RoutePlan,
    context: RunContext,
    tryOnce: (attempt: Attempt, limits: TryLimits) => Promise<TryResult<UpstreamResponse>>,
  ): Promise<RunOutcome<UpstreamResponse> & { switched?: ProfileSwitch }>;
  /** A stream that failed after it began: health counts it against the route. */
  streamFailed(attempt: Attempt, message: string): Promise<void>;
  /** Metrics, usage accounting and the audit log of a finished request. */
  observe(record: RequestRecord, plan: RoutePlan | undefined, log: readonly AttemptLog[]): void;
}

/** What one run of a plan needs besides the plan. */
export interface RunContext {
  started: number;
  signal?: CancelSignal;
  log: AttemptLog[];
  session?: string;
  /** The request's estimated tokens (reserved against local token limits). */
  estimatedTokens?: number;
}

/**
 * One model call through the gateway, from its start to its record: the conductor both the
 * embedded client and the HTTP server use. `open` routes and runs attempts (retries, failover,
 * cooldowns, stickiness, usage reservations) and classifies the caller's own faults; the caller
 * then reads the body (decoding it, or piping and translating it for an HTTP client), writes
 * what it saw on `record` (usage, tool calls) or through `failStream`, and `finish` records the
 * call once: a cancel is a 499 `client_closed` (never a provider failure), a stream that broke
 * counts against its route, and the plan and every attempt reach the audit log, even when the
 * call failed.
 */
export class Exchange {
  readonly record: RequestRecord;
  /** performance.now() when the call started (times to first byte and latency start here). */
  readonly started = performance.now();
  /** Epoch ms (engine clock) when the call started: the time budget starts here. */
  private readonly startedAt: number;
  private readonly signal: CancelSignal | undefined;
  private plan: RoutePlan | undefined;
  private readonly log: AttemptLog[] = [];
  private attempt: Attempt | undefined;
  private streamFailure: string | undefined;
  private complete = false;
  private finished = false;

  constructor(
    private readonly conductor: Conductor,
    start: ExchangeStart,
  ) {
    this.startedAt = conductor.now();
    this.signal = start.signal;
    this.record = newRecord(start.requestId, start.inboundWire, "", false);
  }

  /**
   * Routes the call and tries its routes until one answers: resolves with that response (its
   * body unread) or the caller's own fault; throws a GatewayError when no route could serve it
   * (policy, limits, every route failed, the budget ran out, the caller cancelled).
   */
  async open(call: ModelCall): Promise<Opened> {
    const record = this.record;
    const conductor = this.conductor;
    record.model = call.model;
    record.stream = call.stream;
    if (call.role) record.role = call.role;
    if (call.session) record.session = call.session;
    if (call.turn) record.turn = call.turn;
    const estimatedTokens = conductor.usage ? call.estimateTokens() : undefined;
    // Built field by field (no spreads): this runs for every request.
    const input: RouteInput = { model: call.model };
    const context: RunContext = { started: this.startedAt, log: this.log };
    if (this.signal) context.signal = this.signal;
    if (call.role) input.role = call.role;
    if (call.session) input.session = context.session = call.session;
    if (call.profiles) input.profiles = call.profiles;
    if (call.caller) input.caller = call.caller;
    if (estimatedTokens !== undefined) {
      record.estimatedTokens = input.estimatedTokens = context.estimatedTokens = estimatedTokens;
    }
    const tryOnce = (attempt: Attempt, limits: TryLimits): Promise<TryResult<UpstreamResponse>> =>
      this.tryAttempt(call, attempt, limits);
    let outcome: RunOutcome<UpstreamResponse> & { switched?: ProfileSwitch };
    for (let waits = 0; ; waits += 1) {
      try {
        this.plan = await conductor.route(input);
        outcome = await conductor.run(this.plan, context, tryOnce);
        break;
      } catch (error) {
        const resetAt = resetAtOf(error);
        const wait = call.waitForReset ? conductor.waitForReset : undefined;
        // A few waits at most: each reset ends a window, so the next plan normally serves.
        if (!wait || resetAt === undefined || waits >= 5) throw error;
        await wait(resetAt, (error as Error).message, abortSignalOf(this.signal));
        if (this.signal?.aborted) throw error;
        context.started = conductor.now();
      }
    }
    const attempt = outcome.attempt;
    this.attempt = attempt;
    setRoute(record, attempt);
    const model = this.plan.model;
    if (outcome.kind === "caller_fault") {
      const error = codecFor(attempt.provider.wire).decodeError(outcome.status, outcome.body);
      record.status = outcome.status;
      record.outcome = "upstream_error";
      record.errorType = error.type;
      return {
        kind: "caller_fault",
        attempt,
        model,
        status: outcome.status,
        body: outcome.body,
        error,
        response: outcome.value,
      };
    }
    record.status = outcome.value.statusCode;
    record.passThrough = call.inbound?.wire === attempt.provider.wire;
    const opened: Opened = { kind: "response", attempt, model, response: outcome.value };
    if (outcome.switched) opened.switched = outcome.switched;
    return opened;
  }

  private tryAttempt(
    call: ModelCall,
    attempt: Attempt,
    limits: TryLimits,
  ): Promise<TryResult<UpstreamResponse>> {
    // Outside the try: a request this route's wire cannot carry is the caller's, not a failure.
    // Field by field (no spreads): this runs for every attempt.
    const upstreamCall: UpstreamCall = {
      attempt,
      body: call.bodyFor(attempt),
      stream: call.stream,
      dispatcher: this.conductor.dispatcher,
      headersTimeoutMs: limits.headersTimeoutMs,
    };
    if (this.signal) upstreamCall.signal = this.signal;
    const inbound = call.inbound;
    if (inbound !== undefined && inbound.wire === attempt.provider.wire)
      upstreamCall.inboundHeaders = inbound.headers;
    return tryUpstream(() => callUpstream(upstreamCall));
  }

  /**
   * The answer broke after it began (an error event, a malformed or cut stream, a dropped
   * connection): recorded as a stream error, and counted against the route unless the caller
   * cancelled. `message` says what happened (health's reason).
   */
  failStream(type: string, message: string = type): void {
    this.record.outcome = "stream_error";
    this.record.errorType = type;
    this.streamFailure = message;
  }

  /** The whole answer reached the caller: a cancel after this is no client close. */
  completed(): void {
    this.complete = true;
  }

  /** The call failed with `error` (before, while or after routing): its status and type. */
  failed(error: unknown): void {
    const record = this.record;
    const failure = error as { status?: unknown; type?: unknown };
    setTriedRoute(record, this.plan, this.log);
    record.status = typeof failure.status === "number" ? failure.status : 500;
    // An outcome set while serving (a stream error) is kept when serving then fails.
    if (record.outcome === "ok") record.outcome = "gateway_error";
    record.errorType = typeof failure.type === "string" ? failure.type : "api_error";
  }

  /**
   * Records the call, once: a caller that cancelled before the whole answer reached it is a 499
   * `client_closed` whatever failed after; otherwise a stream that failed counts against its
   * route. Then metrics, usage accounting and the audit log (plan, attempts, exclusions).
   */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const record = this.record;
    if (this.signal?.aborted && !(this.complete && record.outcome === "ok")) {
      setClientClosed(record);
    } else if (record.outcome === "stream_error" && this.attempt) {
      await this.conductor.streamFailed(
        this.attempt,
        this.streamFailure ?? record.errorType ?? "error",
      );
    }
    record.latencyMs = performance.now() - this.started;
    record.attempts = this.log.length;
    this.conductor.observe(record, this.plan, this.log);
  }
}

/** The AbortSignal a `--wait-for-reset` countdown can listen to, when the caller gave one. */
function abortSignalOf(signal: CancelSignal | undefined): AbortSignal | undefined {
  return signal instanceof AbortSignal ? signal : undefined;
}
