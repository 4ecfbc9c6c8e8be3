import { HedgeError, GatewayError } from "@hedge/model-spec";
import type { GatewayAccount, PolicyConfig, RoutingConfig } from "../config-schema.js";
import type { ResolvedProvider } from "../providers/resolve.js";
import type {
  HealthRequest,
  MaybePromise,
  RouteCondition,
  RouteHealth,
} from "../routing/health.js";
import { priceFor } from "../routing/prices.js";
import { rankRoutes, type RankStrategy } from "../routing/rank.js";
import type { UsageMonitor } from "../usage/usage-monitor.js";
import type { Credential, CredentialResolver } from "./credentials.js";
import { resolveModel, type ModelTarget } from "./model-ref.js";
import { allowed, credentialsFor } from "./route-access.js";
import { noCandidate, noHealthyRoute } from "./route-errors.js";

/** One way to serve a request: a provider, the model id it knows, and a credential. */
export interface Attempt {
  /** `provider:credential`, the unit of health (breakers, cooldowns). */
  id: string;
  provider: ResolvedProvider;
  upstreamModel: string;
  credential: Credential;
  /** Position in the declared order (model targets, then fallbacks; credentials in source order). */
  declaredIndex: number;
}

/** A route that was considered and left out, with the reason. */
/**
 * Why a route was left out, for the error when none is left: denied by policy, no credential,
 * a fallback nobody serves, out for its limits (usage, a 429's or a quota's cooldown), refused
 * by the provider (its key marked invalid, or a permission it lacks), or otherwise unavailable
 * (breaker, a failure's cooldown).
 */
export type ExclusionKind =
  "policy" | "no_credential" | "unserved" | "limited" | "refused" | "unavailable";

export interface ExcludedRoute {
  route: string;
  provider: string;
  kind: ExclusionKind;
  /** Readable: shown by `hedge route explain` and recorded in the audit log. */
  reason: string;
  /** When it may become usable again (epoch ms), when known. */
  until?: number;
}

/** Every candidate, what was excluded and why, and the healthy routes in the order to try. */
export interface RoutePlan {
  /** The model name after alias resolution. */
  model: string;
  strategy: RankStrategy;
  candidates: Attempt[];
  excluded: ExcludedRoute[];
  attempts: Attempt[];
  /** Health of each candidate (its route, asked for its model), by candidate. */
  conditions: ReadonlyMap<Attempt, RouteCondition>;
  /** The route this session used last, if it is still a candidate. */
  sticky: string | undefined;
}

/** Who is calling: a gateway account (from the key) and the caller's own provider keys. */
export interface Caller {
  account?: string;
  accountConfig?: GatewayAccount;
  /** Provider id -> the caller's own key (BYOK), sent per request, never stored. */
  byok?: ReadonlyMap<string, string>;
}

export interface RouteInput {
  model: string;
  role?: string;
  session?: string;
  /** Only these login profiles may serve (a role's profile pool). */
  profiles?: readonly string[];
  caller?: Caller;
  /** Rough size of the request in tokens (prompt plus requested output), for usage headroom. */
  estimatedTokens?: number;
}

export interface RouterDeps {
  providers: readonly ResolvedProvider[];
  aliases: Readonly<Record<string, string>>;
  policy: PolicyConfig;
  routing: RoutingConfig;
  credentials: CredentialResolver;
  /** Providers deliberately configured by a login (they have a profile): see evaluatePolicy. */
  deliberate?: ReadonlySet<string>;
  health?: RouteHealth;
  /** The usage heartbeat: orders each profile pool by headroom (it is also a health input). */
  usage?: UsageMonitor;
  now?: () => number;
  /**
   * Candidates depend only on config and credentials, which an engine holds fixed: requests
   * without a caller identity reuse them per (model, profile pool).
   */
  candidateCache?: Map<string, ReturnType<typeof buildCandidates>>;
}

/**
 * Candidates first: every target of the model (and its fallbacks) x every credential this caller
 * may use, then policy (global, narrowed by the account; failing closed). Nothing is tried here.
 */
export function buildCandidates(
  input: RouteInput,
  deps: RouterDeps,
): { model: string; candidates: Attempt[]; excluded: ExcludedRoute[]; denials: string[] } {
  const resolved = resolveOrThrow(input.model, deps);
  const targets: ModelTarget[] = [...resolved.targets];
  const excluded: ExcludedRoute[] = [];
  const rule = deps.routing.models[resolved.name] ?? deps.routing.models[input.model];
  for (const fallback of rule?.fallbacks ?? []) {
    try {
      targets.push(...resolveModel(fallback, deps.providers, deps.aliases).targets);
    } catch {
      excluded.push({
        route: fallback,
        provider: fallback.split("/")[0] ?? fallback,
        kind: "unserved",
        reason: `fallback "${fallback}": no configured provider serves it`,
      });
    }
  }
  const account = input.caller?.accountConfig;
  const candidates: Attempt[] = [];
  const denials: string[] = [];
  let declaredIndex = 0;
  for (const target of targets) {
    const provider = target.provider;
    const verdict = allowed(provider, deps, account, input.caller?.account, provider.region);
    // A profile may put its route in another region than the provider's: judged per route below.
    const pool = input.profiles;
    // A role's profile pool: only those login profiles may serve it.
    const credentials = credentialsFor(provider, input.caller, deps.credentials).filter(
      (credential) =>
        pool === undefined ||
        (credential.profile !== undefined && pool.includes(credential.profile)),
    );
    const ownRegion = credentials.some(
      (credential) => credential.region !== undefined && credential.region !== provider.region,
    );
    if (!verdict.allowed && !(ownRegion && verdict.regional)) {
      excluded.push({
        route: `${provider.id}:*`,
        provider: provider.id,
        kind: "policy",
        reason: `policy: ${verdict.rule}`,
      });
      denials.push(verdict.rule);
      continue;
    }
    if (credentials.length === 0) {
      excluded.push({
        route: `${provider.id}:*`,
        provider: provider.id,
        kind: "no_credential",
        reason: pool ? `no credential in the profile pool [${pool.join(", ")}]` : "no credential",
      });
      continue;
    }
    for (const credential of credentials) {
      const id = `${provider.id}:${credential.id}`;
      if (
        candidates.some(
          (candidate) => candidate.id === id && candidate.upstreamModel === target.upstreamModel,
        )
      )
        continue;
      const region = credential.region ?? provider.region;
      const routeVerdict =
        region === provider.region
          ? verdict
          : allowed(provider, deps, account, input.caller?.account, region);
      if (!routeVerdict.allowed) {
        excluded.push({
          route: id,
          provider: provider.id,
          kind: "policy",
          reason: `policy: ${routeVerdict.rule}`,
        });
        denials.push(routeVerdict.rule);
        continue;
      }
      candidates.push({
        id,
        provider,
        upstreamModel: target.upstreamModel,
        credential,
        declaredIndex,
      });
      declaredIndex += 1;
    }
  }
  return { model: resolved.name, candidates, excluded, denials };
}

/**
 * The routing seam, `route(request) -> attempts`: candidates, policy, then health (breakers,
 * cooldowns, usage inputs), then ranking with session stickiness. Fails closed: when every
 * allowed route is unhealthy the request fails; nothing widens the allowed set.
 */
export async function planRoute(input: RouteInput, deps: RouterDeps): Promise<RoutePlan> {
  const explained = await explainRoute(input, deps);
  if (explained.error) throw explained.error;
  return explained.plan;
}

/** What `planRoute` decides, returned rather than thrown: for `hedge route explain`. */
export interface RouteExplanation {
  plan: RoutePlan;
  /** Why the request would fail before any call, if it would. */
  error: GatewayError | undefined;
}

/** Every step of `planRoute` (candidates, policy, health, ranking), calling nothing. */
export async function explainRoute(input: RouteInput, deps: RouterDeps): Promise<RouteExplanation> {
  const { model, candidates, excluded, denials } = cachedCandidates(input, deps);
  const rule = deps.routing.models[model] ?? deps.routing.models[input.model];
  const strategy = rule?.strategy ?? deps.routing.default_strategy;
  if (candidates.length === 0) {
    const empty = {
      model,
      strategy,
      candidates,
      excluded,
      attempts: [],
      conditions: new Map(),
      sticky: undefined,
    };
    return { plan: empty, error: noCandidate(input.model, excluded, denials, input.profiles) };
  }
  let assessed: MaybePromise<Map<Attempt, RouteCondition>>;
  if (deps.health) {
    // Field by field (no spreads): this runs for every request.
    const request: HealthRequest = { models: modelsOf(candidates) };
    if (input.estimatedTokens !== undefined) request.estimatedTokens = input.estimatedTokens;
    assessed = deps.health.assess(candidates, request);
  } else assessed = new Map<Attempt, RouteCondition>();
  const conditions = assessed instanceof Promise ? await assessed : assessed;
  const healthy: Attempt[] = [];
  for (const candidate of candidates) {
    const condition = conditions.get(candidate);
    if (condition && !condition.available) {
      excluded.push({
        route: candidate.id,
        provider: candidate.provider.id,
        kind: condition.limited ? "limited" : condition.refused ? "refused" : "unavailable",
        reason: condition.reason ?? "unhealthy",
        ...(condition.until === undefined ? {} : { until: condition.until }),
      });
    } else healthy.push(candidate);
  }
  let sticky: string | undefined;
  if (input.session && deps.health && rule?.sticky !== false) {
    const remembered = await deps.health.stickyRoute(input.session, model);
    if (remembered && healthy.some((attempt) => attempt.id === remembered)) sticky = remembered;
  }
  if (strategy === "fastest" && deps.health) {
    await deps.health.loadLatency(healthy.map((attempt) => attempt.id));
  }
  // Only what the strategy ranks by is looked up (prices, latency, weights); priority with one
  // candidate, the common case, needs no ranking at all.
  let attempts: Attempt[];
  if (strategy === "priority" || healthy.length < 2) {
    attempts = [...healthy].sort((a, b) => a.declaredIndex - b.declaredIndex);
  } else {
    const ranked = rankRoutes(
      healthy.map((attempt) => ({
        ...attempt,
        ...(strategy === "cheapest" ? priced(attempt) : {}),
        ...(strategy === "fastest" && deps.health ? latencyOf(deps.health, attempt.id) : {}),
        ...(strategy === "weighted" ? weighted(attempt, rule?.weights) : {}),
      })),
      strategy,
    );
    attempts = ranked.map(
      (ranking) =>
        healthy.find(
          (attempt) => attempt.id === ranking.id && attempt.declaredIndex === ranking.declaredIndex,
        ) as Attempt,
    );
  }
  // Within a profile pool, usage decides (current member, then headroom).
  if (deps.usage) attempts = deps.usage.order(attempts);
  // Whatever the strategy and usage say, a session's route goes first: its prompt cache is warm.
  const at = sticky === undefined ? -1 : attempts.findIndex((attempt) => attempt.id === sticky);
  if (at > 0) attempts.unshift(...attempts.splice(at, 1));
  const plan = { model, strategy, candidates, excluded, attempts, conditions, sticky };
  return {
    plan,
    error:
      attempts.length === 0
        ? noHealthyRoute(input.model, excluded, (deps.now ?? Date.now)())
        : undefined,
  };
}

/** Route id -> the upstream model it would be asked for (the first target using that route). */
function modelsOf(candidates: readonly Attempt[]): ReadonlyMap<string, string> {
  let models = modelMaps.get(candidates);
  if (!models) {
    const built = new Map<string, string>();
    for (const candidate of candidates)
      if (!built.has(candidate.id)) built.set(candidate.id, candidate.upstreamModel);
    models = built;
    modelMaps.set(candidates, models);
  }
  return models;
}

/** Cached candidate lists keep their model map (see `cachedCandidates`). */
const modelMaps = new WeakMap<readonly Attempt[], ReadonlyMap<string, string>>();

function cachedCandidates(input: RouteInput, deps: RouterDeps): ReturnType<typeof buildCandidates> {
  const cache = deps.candidateCache;
  if (!cache || input.caller) return buildCandidates(input, deps);
  const key = `${input.model}\u0000${input.profiles?.join(",") ?? ""}`;
  let built = cache.get(key);
  if (!built) {
    built = buildCandidates(input, deps);
    if (cache.size > 1000) cache.clear();
    cache.set(key, built);
  }
  // `excluded` is copied: the plan adds to it. Candidates and denials are only read.
  return { ...built, excluded: [...built.excluded] };
}

function resolveOrThrow(model: string, deps: RouterDeps): ReturnType<typeof resolveModel> {
  try {
    return resolveModel(model, deps.providers, deps.aliases);
  } catch (error) {
    if (error instanceof HedgeError && error.code === "model_not_found") {
      throw new GatewayError("model_not_found", error.message, {
        status: 404,
        type: "not_found_error",
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
    throw error;
  }
}

function priced(attempt: Attempt): { pricePerMTok?: { input: number; output: number } } {
  const price = priceFor(attempt.provider.type, attempt.upstreamModel, attempt.provider.prices);
  return price ? { pricePerMTok: { input: price.input, output: price.output } } : {};
}

function latencyOf(
  health: RouteHealth,
  route: string,
): { ewmaLatencyMs?: number; ewmaTtftMs?: number } {
  const latency = health.latencyOf(route);
  return {
    ...(latency.latencyMs === undefined ? {} : { ewmaLatencyMs: latency.latencyMs }),
    ...(latency.ttftMs === undefined ? {} : { ewmaTtftMs: latency.ttftMs }),
  };
}

function weighted(
  attempt: Attempt,
  weights: Readonly<Record<string, number>> | undefined,
): { weight?: number } {
  const weight = weights?.[attempt.id] ?? weights?.[attempt.provider.id];
  return weight === undefined ? {} : { weight };
}
