import type { Store } from "../store/store.js";
import {
  canAttempt,
  recordFailure,
  recordSuccess,
  type BreakerConfig,
  type BreakerState,
} from "./breaker.js";
import type { FailureClass } from "./failure-class.js";
import { updateEwma } from "./rank.js";
import {
  breakerKey,
  cooldownKey,
  cooldownKeysOf,
  holdsFor,
  keyTagOf,
  scopedModel,
  type Cooldown,
  type RouteTarget,
} from "./route-state.js";

export {
  breakerKey,
  cooldownKey,
  listBreakers,
  listCooldowns,
  type Cooldown,
  type RouteTarget,
} from "./route-state.js";

/** What health knows of a route right now. */
export interface RouteCondition {
  available: boolean;
  /** Why not, when unavailable. */
  reason?: string;
  /** When it may recover, when known (epoch ms). */
  until?: number;
  /** Unavailable for its limits (usage, a 429's or a quota's cooldown), not for a fault. */
  limited?: boolean;
  /** Unavailable because the provider refused its key or a permission (a mark). */
  refused?: boolean;
  breaker: BreakerState | undefined;
  cooldown: Cooldown | undefined;
}

/** What health inputs may know of the request being routed. */
export interface HealthRequest {
  /** Route id -> the upstream model that route would be asked for. */
  models?: ReadonlyMap<string, string>;
  /** Rough size of the request (prompt plus requested output), in tokens. */
  estimatedTokens?: number;
}

/** A value, or a promise of it: hot-path calls answer synchronously when nothing needs the Store. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Routes a health input keeps out of rotation, with the reason (and until when); `limited` when
 * the route is out for its limits rather than broken.
 */
export type HealthVerdicts = Map<string, { reason: string; until?: number; limited?: boolean }>;

/**
 * Another input to health beside breakers and cooldowns: the usage heartbeat plugs in here and
 * returns, per route id, a reason to avoid it now (or nothing).
 */
export interface HealthInput {
  readonly name: string;
  check(
    routeIds: readonly string[],
    now: number,
    request?: HealthRequest,
  ): MaybePromise<HealthVerdicts>;
}

/** How often a process shares its latency estimate of a route. */
const LATENCY_SHARE_MS = 5_000;

const latencyKey = (route: string): string => `latency:${route}`;
const stickyKey = (session: string, model: string): string => `sticky:${model}:${session}`;

interface Latency {
  latencyMs?: number;
  ttftMs?: number;
  samples: number;
}

/**
 * Health of routes (provider + credential), kept in the Store so every process and replica sees
 * the same breakers and cooldowns. A breaker holds for a whole route; a cooldown for the route,
 * or only for one model family or model on it (see `CooldownScope`). Healthy routes cost one
 * read per request and no write: a success is written only when the stored breaker has
 * something to forget.
 */
export class RouteHealth {
  private readonly latency = new Map<string, Latency>();
  private readonly latencySharedAt = new Map<string, number>();
  private readonly breakerConfig: Partial<BreakerConfig>;
  /** Stored breakers and cooldowns as last read or written here, and when, by Store key. */
  private readonly cache = new Map<string, { value: unknown; readAt: number }>();
  private readonly cacheMs: number;
  /** The Store keys a target's condition reads, built once per target (targets are cached). */
  private readonly targetKeys = new WeakMap<RouteTarget, readonly string[]>();

  constructor(
    readonly store: Store,
    options: {
      breaker?: Partial<BreakerConfig>;
      now?: () => number;
      inputs?: readonly HealthInput[];
      /**
       * How long a read of a route's stored state is reused by this process (0: read on every
       * request). Changes made here apply at once; another process's within this time.
       */
      cacheMs?: number;
    } = {},
  ) {
    this.breakerConfig = options.breaker ?? {};
    this.now = options.now ?? Date.now;
    this.inputs = options.inputs ?? [];
    this.cacheMs = options.cacheMs ?? 0;
  }

  readonly now: () => number;
  private readonly inputs: readonly HealthInput[];

  private keysOf(target: RouteTarget): readonly string[] {
    let keys = this.targetKeys.get(target);
    if (!keys) {
      keys = [breakerKey(target.id), ...cooldownKeysOf(target)];
      this.targetKeys.set(target, keys);
    }
    return keys;
  }

  /**
   * Conditions of the given targets (a route asked for a model), by target, read in one round
   * trip (plus one per health input); answered synchronously while this process's reads are
   * fresh (`cacheMs`) and the inputs need no read. Health inputs judge by route id.
   */
  assess<T extends RouteTarget>(
    targets: readonly T[],
    request?: HealthRequest,
  ): MaybePromise<Map<T, RouteCondition>> {
    const now = this.now();
    let stale: string[] | undefined;
    for (const target of targets) {
      for (const key of this.keysOf(target)) {
        const cached = this.cache.get(key);
        if (!cached || now - cached.readAt >= this.cacheMs) (stale ??= []).push(key);
      }
    }
    if (stale === undefined) return this.withInputs(targets, now, request);
    return this.readStored(stale, now).then(() => this.withInputs(targets, now, request));
  }

  private async readStored(keys: readonly string[], now: number): Promise<void> {
    const unique = [...new Set(keys)];
    const stored = await this.store.getMany<unknown>(unique);
    for (const key of unique) this.cache.set(key, { value: stored.get(key), readAt: now });
  }

  private withInputs<T extends RouteTarget>(
    targets: readonly T[],
    now: number,
    request: HealthRequest | undefined,
  ): MaybePromise<Map<T, RouteCondition>> {
    const external: HealthVerdicts[] = [];
    let pending: Promise<void>[] | undefined;
    if (this.inputs.length > 0) {
      const routes =
        targets.length === 1
          ? [(targets[0] as T).id]
          : [...new Set(targets.map((target) => target.id))];
      for (const input of this.inputs) {
        const verdicts = input.check(routes, now, request);
        if (verdicts instanceof Promise)
          (pending ??= []).push(verdicts.then((found) => void external.push(found)));
        else external.push(verdicts);
      }
    }
    if (pending === undefined) return this.conditions(targets, external, now);
    return Promise.all(pending).then(() => this.conditions(targets, external, now));
  }

  private conditions<T extends RouteTarget>(
    targets: readonly T[],
    external: readonly HealthVerdicts[],
    now: number,
  ): Map<T, RouteCondition> {
    const conditions = new Map<T, RouteCondition>();
    for (const target of targets) {
      const keys = this.keysOf(target);
      const stored = this.cache.get(keys[0] as string)?.value as BreakerState | undefined;
      // Of the cooldowns that hold (route, family, model), the one that ends last decides.
      let cooldown: Cooldown | undefined;
      for (let index = 1; index < keys.length; index += 1) {
        const found = this.cache.get(keys[index] as string)?.value as Cooldown | undefined;
        if (found && found.until > now && holdsFor(found, target)) {
          if (!cooldown || found.until > cooldown.until) cooldown = found;
        }
      }
      conditions.set(target, this.condition(target.id, stored, cooldown, external, now));
    }
    return conditions;
  }

  /** Remembers what this process just stored, so its next request sees it at once. */
  private remember(key: string, value: unknown): void {
    this.cache.set(key, { value, readAt: this.cache.get(key)?.readAt ?? this.now() });
  }

  private condition(
    route: string,
    breaker: BreakerState | undefined,
    cooldown: Cooldown | undefined,
    external: readonly HealthVerdicts[],
    now: number,
  ): RouteCondition {
    const base = { breaker, cooldown };
    if (cooldown && cooldown.until > now) {
      const scope =
        cooldown.scope === "family" || cooldown.scope === "model"
          ? ` (${cooldown.scope} ${cooldown.model ?? "?"})`
          : "";
      return {
        ...base,
        available: false,
        reason: `${cooldown.kind}${scope}: ${cooldown.reason}`,
        until: cooldown.until,
        limited: cooldown.kind === "rate_limited" || cooldown.kind === "quota",
        refused: cooldown.kind === "credential" || cooldown.kind === "permission",
      };
    }
    if (breaker && breaker.state !== "closed") {
      const decision = canAttempt(breaker, now, this.breakerConfig);
      if (!decision.allowed) {
        return {
          ...base,
          available: false,
          reason:
            breaker.state === "open"
              ? `circuit open after ${breaker.consecutiveFailures} consecutive failure(s)`
              : "circuit half-open, probe in flight",
          ...(decision.until === undefined ? {} : { until: decision.until }),
        };
      }
    }
    for (const found of external) {
      const verdict = found.get(route);
      if (verdict)
        return {
          ...base,
          available: false,
          reason: verdict.reason,
          ...(verdict.until ? { until: verdict.until } : {}),
          ...(verdict.limited ? { limited: true } : {}),
        };
    }
    return { ...base, available: true };
  }

  /**
   * Claims the right to call a route whose breaker is not closed (the one half-open probe).
   * Closed routes need no claim. Atomic across processes.
   */
  claim(route: string, condition: RouteCondition | undefined): MaybePromise<boolean> {
    if (!condition?.breaker || condition.breaker.state === "closed") return true;
    return this.claimProbe(route);
  }

  private async claimProbe(route: string): Promise<boolean> {
    let allowed = false;
    const now = this.now();
    const stored = await this.store.update<BreakerState>(breakerKey(route), (current) => {
      const decision = canAttempt(current, now, this.breakerConfig);
      allowed = decision.allowed;
      return decision.state;
    });
    this.remember(breakerKey(route), stored);
    return allowed;
  }

  /** Records a success: synchronous unless the stored breaker has something to forget. */
  succeeded(
    route: string,
    condition: RouteCondition | undefined,
    latencyMs: number,
    ttftMs?: number,
  ): Promise<void> | undefined {
    this.observeLatency(route, latencyMs, ttftMs);
    const breaker = condition?.breaker;
    const dirty =
      breaker !== undefined &&
      (breaker.state !== "closed" || breaker.window.some((sample) => !sample.ok));
    if (!dirty) return undefined;
    return this.forgetFailures(route);
  }

  private async forgetFailures(route: string): Promise<void> {
    const now = this.now();
    const stored = await this.store.update<BreakerState>(breakerKey(route), (current) =>
      recordSuccess(current, now, this.breakerConfig),
    );
    this.remember(breakerKey(route), stored);
  }

  /**
   * Records a failure: transient ones feed the route's breaker; limits, quota, credentials and
   * permissions cool down the scope the failure names (the route, or the model family or model
   * asked for). Resolves to whether the target may still be tried now (its breaker closed, no
   * cooldown), so a retry never goes to a route this very failure took out of rotation.
   */
  async failed(target: RouteTarget, failure: FailureClass): Promise<boolean> {
    const now = this.now();
    const route = target.id;
    if (failure.kind === "transient") {
      const breaker = await this.store.update<BreakerState>(breakerKey(route), (current) =>
        recordFailure(current, now, this.breakerConfig, failure.reason),
      );
      this.remember(breakerKey(route), breaker);
      if (failure.cooldownUntil && failure.cooldownUntil > now && !failure.retrySameRoute) {
        await this.cool(target, failure, failure.cooldownUntil, now);
        return false;
      }
      return breaker === undefined || breaker.state === "closed";
    }
    if (failure.kind === "caller") return true;
    // A refusal that blames nothing (a keyless provider's 401) moves on and marks nothing.
    if (failure.cooldownUntil === undefined) return false;
    await this.cool(target, failure, failure.cooldownUntil, now);
    return false;
  }

  private async cool(
    target: RouteTarget,
    failure: FailureClass,
    until: number,
    now: number,
  ): Promise<void> {
    const scope = failure.scope ?? "route";
    const model = scopedModel(target, scope);
    const keyTag =
      failure.kind === "credential" || failure.kind === "permission" ? keyTagOf(target) : undefined;
    const cooldown: Cooldown = {
      until,
      kind: failure.kind,
      reason: failure.reason,
      at: now,
      scope,
      ...(model === undefined ? {} : { model }),
      ...(keyTag === undefined ? {} : { keyTag }),
    };
    const key = cooldownKey(target.id, scope, model);
    await this.store.set(key, cooldown, Math.max(1, until - now));
    this.remember(key, cooldown);
  }

  /** EWMA latency and time to first token of a route, as this process has measured them. */
  latencyOf(route: string): { latencyMs?: number; ttftMs?: number } {
    return this.latency.get(route) ?? {};
  }

  private observeLatency(route: string, latencyMs: number, ttftMs: number | undefined): void {
    const previous = this.latency.get(route) ?? { samples: 0 };
    const next: Latency = {
      samples: previous.samples + 1,
      latencyMs: updateEwma(previous.latencyMs, latencyMs) ?? latencyMs,
    };
    const ttft =
      ttftMs === undefined ? previous.ttftMs : (updateEwma(previous.ttftMs, ttftMs) ?? ttftMs);
    if (ttft !== undefined) next.ttftMs = ttft;
    this.latency.set(route, next);
    // Shared at most every few seconds per route so other processes rank with it too; a write
    // per request (or per N requests) would cost the hot path at high rates.
    const now = this.now();
    if (now - (this.latencySharedAt.get(route) ?? 0) >= LATENCY_SHARE_MS) {
      this.latencySharedAt.set(route, now);
      void this.store.set(latencyKey(route), next).catch(() => undefined);
    }
  }

  /** Loads latency estimates other processes shared (for `fastest`), once per route. */
  async loadLatency(routes: readonly string[]): Promise<void> {
    const missing = routes.filter((route) => !this.latency.has(route));
    if (missing.length === 0) return;
    const stored = await this.store.getMany<Latency>(missing.map(latencyKey));
    for (const route of missing) {
      this.latency.set(route, stored.get(latencyKey(route)) ?? { samples: 0 });
    }
  }

  async stickyRoute(session: string, model: string): Promise<string | undefined> {
    return this.store.get<string>(stickyKey(session, model));
  }

  async setSticky(session: string, model: string, route: string, ttlMs: number): Promise<void> {
    await this.store.set(stickyKey(session, model), route, ttlMs);
  }
}
