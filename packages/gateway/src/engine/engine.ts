import type { Dispatcher } from "undici";
import type { CanonicalRequest, GatewayError, ModelEvent } from "@hedge/model-spec";
import type { PolicyConfig, RoutingConfig } from "../config-schema.js";
import type { ResolvedProvider } from "../providers/resolve.js";
import { RouteHealth, type HealthInput } from "../routing/health.js";
import type { Store } from "../store/store.js";
import { codecFor } from "@hedge/wire";
import { estimateRequestTokens } from "../usage/estimate.js";
import { profileOfRoute } from "../usage/family.js";
import type { ProfileSwitch } from "../usage/switch-log.js";
import type { UsageMonitor, UsageRoute } from "../usage/usage-monitor.js";
import type { StateSources } from "../views/state-sources.js";
import { AuditRecorder } from "./audit.js";
import { decodeUpstream } from "./decode-upstream.js";
import type { CancelSignal } from "./cancellation.js";
import {
  auditEntryOf,
  newRecord,
  newRequestId,
  routeEvent,
  setClientClosed,
  setRoute,
  setTriedRoute,
  verdictEntry,
} from "./records.js";
import { headersOf, tryUpstream } from "./try-upstream.js";
import {
  runAttempts,
  type AttemptLog,
  type RunOptions,
  type RunOutcome,
  type TryLimits,
  type TryResult,
} from "./attempt-runner.js";
import type { CredentialResolver } from "./credentials.js";
import type { GatewayObserver, RequestRecord } from "./observer.js";
import {
  explainRoute,
  planRoute,
  type Attempt,
  type RouteExplanation,
  type RouteInput,
  type RoutePlan,
  type RouterDeps,
} from "./route.js";
import { resetAtOf } from "./unavailable.js";
import { callUpstream, createUpstreamDispatcher, type UpstreamResponse } from "./upstream.js";

export { newRecord, newRequestId, routeEvent, setRoute, tryUpstream };

export interface GatewayEngineOptions {
  providers: readonly ResolvedProvider[];
  aliases: Readonly<Record<string, string>>;
  policy: PolicyConfig;
  routing: RoutingConfig;
  credentials: CredentialResolver;
  /** Providers deliberately configured by a login (they have a profile): see evaluatePolicy. */
  deliberate?: ReadonlySet<string>;
  /** Shared state (breakers, cooldowns, stickiness, audit). Without one, routing is stateless. */
  store?: Store;
  /** More health inputs. */
  healthInputs?: readonly HealthInput[];
  /** The usage heartbeat: headroom as a health input, pool ordering, reservations, snapshots. */
  usage?: UsageMonitor;
  /**
   * When every route is out for its limits, wait for the earliest reset instead of failing
   * (`--wait-for-reset`): called with the reset time and the reason, resolves when it is time to
   * try again (the embedded path only; the HTTP server answers at once).
   */
  waitForReset?: (resetAt: number, reason: string, signal?: AbortSignal) => Promise<void>;
  observer?: GatewayObserver;
  dispatcher?: Dispatcher;
  now?: () => number;
  log?: (line: string) => void;
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
 * The gateway engine: plans routes (candidates, policy, health, ranking), calls providers with
 * failure handling, translates between wires. Runs in-process (embedded ModelClient) and behind
 * the HTTP server.
 */
export class GatewayEngine {
  readonly providers: readonly ResolvedProvider[];
  readonly dispatcher: Dispatcher;
  readonly health: RouteHealth | undefined;
  readonly now: () => number;
  /** The usage heartbeat, when configured. */
  readonly usage: UsageMonitor | undefined;
  private readonly options: GatewayEngineOptions;
  private readonly audit: AuditRecorder | undefined;

  constructor(options: GatewayEngineOptions) {
    this.options = options;
    this.providers = options.providers;
    this.dispatcher = options.dispatcher ?? createUpstreamDispatcher();
    this.now = options.now ?? Date.now;
    this.usage = options.usage;
    const breaker = options.routing.breaker;
    this.health = options.store
      ? new RouteHealth(options.store, {
          now: this.now,
          cacheMs: options.routing.health_cache_ms,
          breaker: {
            failureThreshold: breaker.failure_threshold,
            failureRatio: breaker.failure_ratio,
            minCalls: breaker.min_calls,
            windowMs: breaker.window_ms,
            cooldownMs: breaker.cooldown_ms,
          },
          inputs: [...(options.healthInputs ?? []), ...(options.usage ? [options.usage] : [])],
        })
      : undefined;
    this.audit = options.store
      ? new AuditRecorder(options.store, {
          onError: (error) => this.options.log?.(`gateway: audit write failed: ${String(error)}`),
        })
      : undefined;
  }

  /** The routing seam: every viable attempt for a request, in order, and what was excluded. */
  route(input: RouteInput): Promise<RoutePlan> {
    return planRoute(input, this.routerDeps());
  }

  /** Every routing step for a request, returned rather than thrown, calling nothing. */
  explain(input: RouteInput): Promise<RouteExplanation> {
    return explainRoute(input, this.routerDeps());
  }

  private deps: RouterDeps | undefined;

  /** Built once: the router's view of this engine (config, health, usage, candidate cache). */
  private routerDeps(): RouterDeps {
    this.deps ??= {
      ...this.options,
      now: this.now,
      ...(this.health ? { health: this.health } : {}),
      candidateCache: new Map(),
    };
    return this.deps;
  }

  /**
   * Runs a plan's attempts with failure handling, retries and the request's time budget. With
   * the usage heartbeat, each route is reserved before its try, every response's rate-limit
   * headers are recorded, and a move to another member of a profile pool comes back as `switched`.
   */
  async run<T>(
    plan: RoutePlan,
    context: RunContext,
    tryOnce: (attempt: Attempt, limits: TryLimits) => Promise<TryResult<T>>,
  ): Promise<RunOutcome<T> & { switched?: ProfileSwitch }> {
    const usage = this.options.usage;
    const outcome = await runAttempts(this.runOptions(plan, context), tryOnce);
    if (!usage || outcome.kind !== "ok") return outcome;
    let switched = usage.served(outcome.attempt, {
      sticky: plan.sticky,
      excluded: plan.excluded,
      tried: context.log,
    });
    if (switched instanceof Promise) switched = await switched.catch(() => undefined);
    return switched ? { ...outcome, switched } : outcome;
  }

  private retry: RunOptions["retry"] | undefined;

  private runOptions(plan: RoutePlan, context: RunContext): RunOptions {
    const usage = this.options.usage;
    const retry = this.options.routing.retry;
    // Field by field, no spreads: built for every request.
    const options: RunOptions = {
      plan,
      health: this.health,
      deadline: context.started + this.options.routing.request_budget_ms,
      now: this.now,
      retry: (this.retry ??= {
        sameRoute: retry.same_route,
        baseMs: retry.base_ms,
        maxMs: retry.max_ms,
      }),
      log: context.log,
    };
    if (context.signal) options.signal = context.signal;
    if (context.session) {
      options.sticky = {
        session: context.session,
        model: plan.model,
        ttlMs: this.options.routing.sticky_ttl_ms,
      };
    }
    if (usage) {
      const estimatedTokens = context.estimatedTokens ?? 0;
      options.reserve = (attempt) => usage.reserve(attempt, estimatedTokens);
      options.observe = (attempt, result) =>
        usage.observe(attempt, result.ok ? headersOf(result.value) : result.headers);
    }
    return options;
  }

  /** Records a finished request: metrics observer and the audit log. */
  observe(record: RequestRecord, plan?: RoutePlan, log?: readonly AttemptLog[]): void {
    this.options.observer?.onRequest(record);
    if (this.options.usage && record.provider && record.credential && record.usage) {
      const id = `${record.provider}:${record.credential}`;
      const route: UsageRoute = {
        id,
        provider: { id: record.provider },
        upstreamModel: record.upstreamModel ?? record.model,
        credential: { profile: profileOfRoute(id) },
      };
      void this.options.usage
        .settle(route, record.usage, record.estimatedTokens ?? 0)
        ?.catch((error: unknown) =>
          this.options.log?.(`gateway: usage accounting failed: ${String(error)}`),
        );
    }
    this.audit?.add(auditEntryOf(record, plan, log, this.now(), this.providers));
  }

  /** Records a QA verdict for `hedge stats` (it has no model call of its own). */
  recordVerdict(fields: { session?: string; turn?: string; model: string; verdict: string }): void {
    this.audit?.add(verdictEntry(fields, this.now(), newRequestId()));
  }

  /**
   * A failure after bytes reached the client: not retried, but health counts it. Never called
   * for a stream the caller cancelled (that is not the route's failure).
   */
  async streamFailed(attempt: Attempt, message: string): Promise<void> {
    await this.health
      ?.failed(attempt, {
        kind: "transient",
        retrySameRoute: false,
        reason: `stream failed: ${message}`,
      })
      .catch(() => undefined);
  }

  /** Flushes the audit buffer (on shutdown). */
  async flush(): Promise<void> {
    await this.audit?.flush();
  }

  /**
   * What views of this engine's state read (hedge's admin API, the embedded client): its Store,
   * breaker and usage settings, and every key its routes hold, which views never show.
   */
  stateSources(): StateSources {
    const secrets = this.providers.flatMap((provider) =>
      this.options.credentials
        .credentialsFor(provider)
        .flatMap((credential) => (credential.secret ? [credential.secret] : [])),
    );
    return {
      ...(this.options.store ? { store: this.options.store } : {}),
      breakerCooldownMs: this.options.routing.breaker.cooldown_ms,
      ...(this.options.usage ? { usage: this.options.usage.settings } : {}),
      secrets: () => secrets,
      now: this.now,
    };
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
  ): AsyncGenerator<ModelEvent> {
    const started = this.now();
    const clock = performance.now();
    const record = newRecord(options.requestId ?? newRequestId(), "canonical", request.model, true);
    const log: AttemptLog[] = [];
    let plan: RoutePlan | undefined;
    let completed = false;
    try {
      const metadata = request.metadata;
      if (metadata.role) record.role = metadata.role;
      if (metadata.session_id) record.session = metadata.session_id;
      if (metadata.turn_id) record.turn = metadata.turn_id;
      const estimatedTokens = this.options.usage ? estimateRequestTokens(request) : undefined;
      if (estimatedTokens !== undefined) record.estimatedTokens = estimatedTokens;
      let outcome: RunOutcome<UpstreamResponse> & { switched?: ProfileSwitch };
      for (let waits = 0; ; waits += 1) {
        try {
          plan = await this.route({
            model: request.model,
            ...(metadata.role ? { role: metadata.role } : {}),
            ...(metadata.session_id ? { session: metadata.session_id } : {}),
            ...(metadata.profiles ? { profiles: metadata.profiles } : {}),
            ...(estimatedTokens === undefined ? {} : { estimatedTokens }),
          });
          outcome = await this.run<UpstreamResponse>(
            plan,
            {
              started: waits === 0 ? started : this.now(),
              log,
              ...(options.signal ? { signal: options.signal } : {}),
              ...(metadata.session_id ? { session: metadata.session_id } : {}),
              ...(estimatedTokens === undefined ? {} : { estimatedTokens }),
            },
            (attempt, limits) => this.tryCanonical(attempt, request, limits, options.signal),
          );
          break;
        } catch (error) {
          const resetAt = resetAtOf(error);
          const waitForReset = this.options.waitForReset;
          // A few waits at most: each reset ends a window, so the next plan normally serves.
          if (!waitForReset || resetAt === undefined || waits >= 5) throw error;
          await waitForReset(resetAt, (error as Error).message, options.signal);
          if (options.signal?.aborted) throw error;
        }
      }
      setRoute(record, outcome.attempt);
      const signal = options.signal;
      if (outcome.kind === "caller_fault") {
        const failure = codecFor(outcome.attempt.provider.wire).decodeError(
          outcome.status,
          outcome.body,
        );
        record.status = outcome.status;
        record.outcome = "upstream_error";
        record.errorType = failure.type;
        yield routeEvent(outcome.attempt, plan.model, outcome.switched);
        yield {
          type: "error",
          error: {
            status: outcome.status,
            type: failure.type,
            message: `${outcome.attempt.provider.id}: ${failure.message}`,
          },
        };
        completed = true;
        return;
      }
      record.status = outcome.value.statusCode;
      yield routeEvent(outcome.attempt, plan.model, outcome.switched);
      yield* decodeUpstream(outcome.attempt, outcome.value, record, clock, (attempt, message) =>
        // A stream that broke because the caller cancelled it says nothing about the route.
        signal?.aborted ? Promise.resolve() : this.streamFailed(attempt, message),
      );
      completed = true;
    } catch (error) {
      const failure = error as GatewayError;
      setTriedRoute(record, plan, log);
      record.status = typeof failure.status === "number" ? failure.status : 500;
      record.outcome = "gateway_error";
      record.errorType = failure.type;
      throw error;
    } finally {
      // Cancelled before its end (the consumer may stop reading at the error event the cancel
      // caused, so this is decided here): the caller's doing, whatever the stream said.
      if (options.signal?.aborted && !(completed && record.outcome === "ok"))
        setClientClosed(record);
      record.latencyMs = performance.now() - clock;
      this.observe(record, plan, log);
    }
  }

  private async tryCanonical(
    attempt: Attempt,
    request: CanonicalRequest,
    limits: TryLimits,
    signal: AbortSignal | undefined,
  ): Promise<TryResult<UpstreamResponse>> {
    const body = codecFor(attempt.provider.wire).encodeRequest(
      { ...request, stream: true },
      attempt.upstreamModel,
    );
    return tryUpstream(() =>
      callUpstream({
        attempt,
        body: JSON.stringify(body),
        stream: true,
        dispatcher: this.dispatcher,
        headersTimeoutMs: limits.headersTimeoutMs,
        ...(signal ? { signal } : {}),
      }),
    );
  }
}
