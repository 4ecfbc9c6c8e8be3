import type { Dispatcher } from "undici";
import type { CanonicalRequest, ModelEvent } from "@hedge/model-spec";
import { codecFor } from "@hedge/wire";
import type { PolicyConfig, RoutingConfig } from "../config-schema.js";
import type { ResolvedProvider } from "../providers/resolve.js";
import { RouteHealth, type HealthInput } from "../routing/health.js";
import { ResilientStore, type StoreHealth } from "../store/resilient-store.js";
import type { Store } from "../store/store.js";
import { estimateRequestTokens } from "../usage/estimate.js";
import { profileOfRoute } from "../usage/family.js";
import type { ProfileSwitch } from "../usage/switch-log.js";
import type { UsageMonitor, UsageRoute } from "../usage/usage-monitor.js";
import type { StateSources } from "../views/state-sources.js";
import { AuditRecorder } from "./audit.js";
import { countWithProvider, type TokenCount } from "./count-tokens.js";
import { decodeUpstream } from "./decode-upstream.js";
import { Exchange, type Conductor, type ExchangeStart, type RunContext } from "./exchange.js";
import { auditEntryOf, newRequestId, routeEvent, verdictEntry } from "./records.js";
import { headersOf } from "./try-upstream.js";
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
  type Caller,
  type RouteExplanation,
  type RouteInput,
  type RoutePlan,
  type RouterDeps,
} from "./route.js";
import { createUpstreamDispatcher, type UpstreamResponse } from "./upstream.js";

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

/**
 * The gateway engine: plans routes (candidates, policy, health, ranking), calls providers with
 * failure handling, translates between wires. Runs in-process (embedded ModelClient) and behind
 * the HTTP server; both serve a call through one conductor, an `Exchange` (`begin`).
 */
export class GatewayEngine {
  readonly providers: readonly ResolvedProvider[];
  readonly health: RouteHealth | undefined;
  readonly now: () => number;
  private readonly dispatcher: Dispatcher;
  private readonly usage: UsageMonitor | undefined;
  private readonly options: GatewayEngineOptions;
  private readonly audit: AuditRecorder | undefined;
  private readonly conductor: Conductor;

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
    this.conductor = {
      now: this.now,
      dispatcher: this.dispatcher,
      usage: this.usage !== undefined,
      waitForReset: options.waitForReset,
      route: (input) => planRoute(input, this.routerDeps()),
      run: (plan, context, tryOnce) => this.run(plan, context, tryOnce),
      streamFailed: (attempt, message) => this.streamFailed(attempt, message),
      observe: (record, plan, log) => this.observe(record, plan, log),
    };
  }

  /**
   * Starts one model call: the conductor that routes it, runs its attempts and records it (see
   * `Exchange`). Start it when the request arrives, so its time budget and latency count from
   * there and a request that fails before routing is recorded too.
   */
  begin(start: ExchangeStart): Exchange {
    return new Exchange(this.conductor, start);
  }

  /** Every routing step for a request, returned rather than thrown, calling nothing. */
  explain(input: RouteInput): Promise<RouteExplanation> {
    return explainRoute(input, this.routerDeps());
  }

  /**
   * The input tokens of `request` as the provider it routes to counts them (the first route in
   * the plan, with that route's credential), or null when that provider has no count endpoint.
   * Calls no model; a failure or a slow provider (5 s) throws, and the caller estimates.
   */
  async countTokens(
    request: CanonicalRequest,
    options: { signal?: AbortSignal; caller?: Caller } = {},
  ): Promise<TokenCount> {
    const plan = await planRoute(
      {
        model: request.model,
        ...(request.metadata.role === undefined ? {} : { role: request.metadata.role }),
        ...(request.metadata.profiles ? { profiles: request.metadata.profiles } : {}),
        ...(options.caller ? { caller: options.caller } : {}),
      },
      this.routerDeps(),
    );
    const attempt = plan.attempts[0];
    return attempt ? countWithProvider(attempt, request, options.signal) : null;
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
  private async run(
    plan: RoutePlan,
    context: RunContext,
    tryOnce: (attempt: Attempt, limits: TryLimits) => Promise<TryResult<UpstreamResponse>>,
  ): Promise<RunOutcome<UpstreamResponse> & { switched?: ProfileSwitch }> {
    const usage = this.usage;
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
    const usage = this.usage;
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

  /** Records a finished request: metrics observer, usage accounting and the audit log. */
  private observe(
    record: RequestRecord,
    plan: RoutePlan | undefined,
    log: readonly AttemptLog[],
  ): void {
    this.options.observer?.onRequest(record);
    if (this.usage && record.provider && record.credential && record.usage) {
      const id = `${record.provider}:${record.credential}`;
      const route: UsageRoute = {
        id,
        provider: { id: record.provider },
        upstreamModel: record.upstreamModel ?? record.model,
        credential: { profile: profileOfRoute(id) },
      };
      void this.usage
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
  private async streamFailed(attempt: Attempt, message: string): Promise<void> {
    await this.health
      ?.failed(attempt, {
        kind: "transient",
        retrySameRoute: false,
        reason: `stream failed: ${message}`,
      })
      .catch(() => undefined);
  }

  /**
   * Whether the Store is up, or since when this engine serves breakers, cooldowns and usage from
   * memory because it is not (`/healthz`, `gateway status`).
   */
  storeHealth(): StoreHealth {
    const store = this.options.store;
    if (store instanceof ResilientStore) return store.health();
    return { kind: store?.kind ?? "memory", degraded: false };
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
   * A canonical request in, canonical events out (the embedded client's path): the conductor
   * routes and records it; this only decodes. The first event is `route.selected`; routes are
   * tried in order until one answers, and never again once an event of the response was yielded.
   */
  async *stream(
    request: CanonicalRequest,
    options: { signal?: AbortSignal; requestId?: string } = {},
  ): AsyncGenerator<ModelEvent> {
    const exchange = this.begin({
      requestId: options.requestId ?? newRequestId(),
      inboundWire: "canonical",
      ...(options.signal ? { signal: options.signal } : {}),
    });
    try {
      const metadata = request.metadata;
      const opened = await exchange.open({
        model: request.model,
        stream: true,
        ...(metadata.role ? { role: metadata.role } : {}),
        ...(metadata.session_id ? { session: metadata.session_id } : {}),
        ...(metadata.turn_id ? { turn: metadata.turn_id } : {}),
        ...(metadata.profiles ? { profiles: metadata.profiles } : {}),
        estimateTokens: () => estimateRequestTokens(request),
        bodyFor: (attempt) =>
          JSON.stringify(
            codecFor(attempt.provider.wire).encodeRequest(
              { ...request, stream: true },
              attempt.upstreamModel,
            ),
          ),
        waitForReset: true,
      });
      const { attempt } = opened;
      yield routeEvent(
        attempt,
        opened.model,
        opened.kind === "response" ? opened.switched : undefined,
      );
      if (opened.kind === "caller_fault") {
        yield {
          type: "error",
          error: {
            status: opened.status,
            type: opened.error.type,
            message: `${attempt.provider.id}: ${opened.error.message}`,
          },
        };
      } else {
        yield* decodeUpstream(attempt, opened.response, exchange);
      }
      exchange.completed();
    } catch (error) {
      exchange.failed(error);
      throw error;
    } finally {
      // Also when the consumer stopped reading early (the cancel it caused, or a break).
      await exchange.finish();
    }
  }
}
