import { createHash } from "node:crypto";
import type { Store } from "../store/store.js";
import { modelFamily, providerOfRoute } from "../usage/family.js";
import { SNAPSHOT_PREFIX, type UsageSnapshot } from "../usage/snapshot.js";
import type { BreakerState } from "./breaker.js";
import type { CooldownScope, FailureClass } from "./failure-class.js";

/**
 * A cooldown of a route, or of one model (family) on it, until a known time: a rate limit's
 * reset, a quota, a refused credential or a missing permission (the last two are "marks").
 */
export interface Cooldown {
  until: number;
  kind: FailureClass["kind"];
  reason: string;
  /** Epoch ms when it was recorded. */
  at?: number;
  /** Absent (older entries) means `route`. */
  scope?: CooldownScope;
  /** The model family (`family`) or model (`model`) it holds for. */
  model?: string;
  /**
   * A credential or permission mark: a short hash of the key it was recorded for. A route whose
   * key changed since (a re-login, a new env value) is not held to it.
   */
  keyTag?: string;
}

/** What a route (provider x credential) is asked for: its id and the upstream model. */
export interface RouteTarget {
  readonly id: string;
  readonly upstreamModel: string;
  readonly credential?: { readonly secret?: string | undefined };
}

export const BREAKER_PREFIX = "breaker:";
export const COOLDOWN_PREFIX = "cooldown:";
// Provider ids (`[a-z0-9._-]`), profile names and env names never hold a `#`.
const SCOPE_SEPARATOR = "#";

export const breakerKey = (route: string): string => `${BREAKER_PREFIX}${route}`;

/** `cooldown:ROUTE`, or `cooldown:ROUTE#family=F` / `#model=M` for a narrower scope. */
export function cooldownKey(route: string, scope: CooldownScope = "route", model = ""): string {
  return scope === "route"
    ? `${COOLDOWN_PREFIX}${route}`
    : `${COOLDOWN_PREFIX}${route}${SCOPE_SEPARATOR}${scope}=${model}`;
}

/** The cooldown keys that hold for a target: its route's, its family's and its model's. */
export function cooldownKeysOf(target: RouteTarget): [string, string, string] {
  return [
    cooldownKey(target.id),
    cooldownKey(target.id, "family", modelFamily(target.upstreamModel)),
    cooldownKey(target.id, "model", target.upstreamModel),
  ];
}

/** The model (or family) a failure's scope names for a target. */
export function scopedModel(target: RouteTarget, scope: CooldownScope): string | undefined {
  if (scope === "family") return modelFamily(target.upstreamModel);
  return scope === "model" ? target.upstreamModel : undefined;
}

/** Short, stable and not reversible: tells two keys apart without storing either. */
export function keyTagOf(target: RouteTarget): string | undefined {
  const credential = target.credential;
  if (!credential?.secret) return undefined;
  let tag = keyTags.get(credential);
  if (tag === undefined) {
    tag = createHash("sha256").update(credential.secret).digest("hex").slice(0, 12);
    keyTags.set(credential, tag);
  }
  return tag;
}

/** Credentials live as long as their engine's candidates: hashed once each. */
const keyTags = new WeakMap<object, string>();

/** Whether a cooldown holds for the key a target would send now. */
export function holdsFor(cooldown: Cooldown, target: RouteTarget): boolean {
  return cooldown.keyTag === undefined || cooldown.keyTag === keyTagOf(target);
}

/** Every stored breaker, with its route (for status reports). */
export async function listBreakers(store: Store): Promise<(BreakerState & { route: string })[]> {
  return (await store.list<BreakerState>(BREAKER_PREFIX)).map(({ key, value }) => ({
    ...value,
    route: key.slice(BREAKER_PREFIX.length),
  }));
}

/** A stored cooldown with its key and route, and its scope spelt out. */
export type ListedCooldown = Cooldown & { key: string; route: string; scope: CooldownScope };

/** Every stored cooldown, with its route; ended ones too, until the heartbeat clears them. */
export async function listCooldowns(store: Store): Promise<ListedCooldown[]> {
  return (await store.list<Cooldown>(COOLDOWN_PREFIX)).map(({ key, value }) => {
    const rest = key.slice(COOLDOWN_PREFIX.length);
    const at = rest.indexOf(SCOPE_SEPARATOR);
    if (at < 0) return { ...value, key, route: rest, scope: "route" };
    const [scope, ...model] = rest.slice(at + 1).split("=");
    return {
      ...value,
      key,
      route: rest.slice(0, at),
      scope: scope === "family" ? "family" : "model",
      model: model.join("="),
    };
  });
}

/** What `resetRoutes` removed. */
export interface ResetRoute {
  route: string;
  breaker?: BreakerState["state"];
  cooldowns: { scope: CooldownScope; model?: string; kind: FailureClass["kind"] }[];
  /** Model families (`*`: the account) whose rate-limit windows, as headers told, were dropped. */
  usage: string[];
}

/** A route id, or a provider id standing for all of its routes. */
export function routeMatcher(name: string): (route: string) => boolean {
  return (route) => route === name || providerOfRoute(route) === name;
}

/** Route ids with something `resetRoutes` would clear, sorted. */
export async function routesWithState(store: Store): Promise<string[]> {
  const routes = new Set<string>();
  for (const breaker of await listBreakers(store)) routes.add(breaker.route);
  for (const cooldown of await listCooldowns(store)) routes.add(cooldown.route);
  for (const { value } of await store.list<UsageSnapshot>(SNAPSHOT_PREFIX))
    if (value.source === "headers") routes.add(value.route);
  return [...routes].sort();
}

/**
 * Deletes the breakers, cooldowns and marks of the routes `matches` accepts, and the rate-limit
 * windows their responses' headers reported (relearnt from the next answer), so the routes are
 * tried again at once. With `kinds`, only cooldowns of those kinds. Latency estimates, sticky
 * sessions, declared-limit counters and vendor session readings stay.
 */
export async function resetRoutes(
  store: Store,
  matches: (route: string) => boolean,
  kinds?: ReadonlySet<FailureClass["kind"]>,
): Promise<ResetRoute[]> {
  const reset = new Map<string, ResetRoute>();
  const entry = (route: string): ResetRoute => {
    let found = reset.get(route);
    if (!found) reset.set(route, (found = { route, cooldowns: [], usage: [] }));
    return found;
  };
  if (kinds === undefined) {
    for (const breaker of await listBreakers(store)) {
      if (!matches(breaker.route)) continue;
      await store.delete(breakerKey(breaker.route));
      entry(breaker.route).breaker = breaker.state;
    }
    for (const { key, value } of await store.list<UsageSnapshot>(SNAPSHOT_PREFIX)) {
      if (value.source !== "headers" || !matches(value.route)) continue;
      await store.delete(key);
      entry(value.route).usage.push(value.family);
    }
  }
  for (const cooldown of await listCooldowns(store)) {
    if (!matches(cooldown.route) || (kinds && !kinds.has(cooldown.kind))) continue;
    await store.delete(cooldown.key);
    entry(cooldown.route).cooldowns.push({
      scope: cooldown.scope,
      ...(cooldown.model === undefined ? {} : { model: cooldown.model }),
      kind: cooldown.kind,
    });
  }
  return [...reset.values()].sort((a, b) => a.route.localeCompare(b.route));
}

/**
 * At a re-login of `profile` for `provider`: the credential and permission marks of its route
 * end (a new key is not held to the old key's refusals; rate limits and quota stay).
 */
export function clearLoginMarks(
  store: Store,
  provider: string,
  profile: string,
): Promise<ResetRoute[]> {
  const route = `${provider}:profile:${profile}`;
  return resetRoutes(store, (candidate) => candidate === route, MARK_KINDS);
}

const MARK_KINDS: ReadonlySet<FailureClass["kind"]> = new Set(["credential", "permission"]);
