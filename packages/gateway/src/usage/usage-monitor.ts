import type { ResponseHeaders } from "../routing/reset-time.js";
import type { HealthInput, HealthRequest } from "../routing/health.js";
import type { Store } from "../store/store.js";
import { modelFamily, profileOfRoute, providerOfRoute } from "./family.js";
import {
  counterKey,
  localLimits,
  localWindow,
  type LocalLimit,
  type ProfileLimits,
} from "./local-limits.js";
import { hasUsageHeaders, parseUsageHeaders, REQUEST_FAMILY } from "./parse-headers.js";
import {
  ACCOUNT_FAMILY,
  headroomOf,
  mergeSnapshot,
  spend,
  trustedWindows,
  snapshotKey,
  type Headroom,
  type UsageSnapshot,
  type UsageWindow,
} from "./snapshot.js";
import { refusalOf } from "./refusal.js";
import { appendSwitch, type ProfileSwitch } from "./switch-log.js";

/** `[usage]` and `[profiles.NAME]` as the monitor needs them. */
export interface UsageSettings {
  /** Leave a profile when the share left in any window falls under this (`usage.switch_below`). */
  switchBelow: number;
  /** A snapshot older than this decides nothing (`usage.snapshot_ttl_s`). */
  snapshotTtlMs: number;
  profiles?: Readonly<
    Record<string, { limits?: ProfileLimits | undefined; priority?: number | undefined }>
  >;
  /** How long a read of shared usage is reused by this process (own writes apply at once). */
  cacheMs?: number;
}

/** The parts of a route (an engine `Attempt`) the monitor looks at. */
export interface UsageRoute {
  id: string;
  provider: { id: string };
  upstreamModel: string;
  credential: { profile?: string | undefined };
}

/** Why a route may not take a request now, and until when. */
export interface UsageRefusal {
  reason: string;
  until?: number;
}

/** What `check` concluded of one route, kept for ordering and switch reasons. */
interface Assessment {
  headroom: Headroom;
  family: string;
  pointer: string | undefined;
  priority: number;
}

const SNAPSHOT_KEEP_MS = 8 * 86_400_000;
const POINTER_KEEP_MS = 86_400_000;
export const pointerKey = (provider: string, family: string): string =>
  `usage:current:${provider}|${family}`;

/**
 * The usage heartbeat on the request path. As a health input it keeps a route out of rotation
 * while its pool has a member with more room: when the share left in any of its windows is under
 * `switch_below`, when a window is exhausted, or when the request's estimated tokens exceed what
 * a token window has left. Its `order` keeps a pool on its current member while that has
 * headroom, then prefers the most headroom (ties: higher `priority`, then declared order).
 * `reserve` counts a request against declared local limits atomically before it is sent, and
 * `observe` folds each response's rate-limit headers into the shared snapshot. All of it lives
 * in the Store, so processes and replicas decide alike.
 */
export class UsageMonitor implements HealthInput {
  readonly name = "usage";
  private readonly cache = new Map<string, { value: unknown; readAt: number }>();
  private readonly assessed = new Map<string, Assessment>();
  private readonly cacheMs: number;
  private readonly limits = new Map<string, LocalLimit[]>();

  constructor(
    readonly store: Store,
    readonly settings: UsageSettings,
    readonly now: () => number = Date.now,
  ) {
    this.cacheMs = settings.cacheMs ?? 100;
    for (const [profile, profileSettings] of Object.entries(settings.profiles ?? {})) {
      const declared = localLimits(profileSettings.limits);
      if (declared.length) this.limits.set(profile, declared);
    }
  }

  /** Reads the given keys, reusing reads younger than `cacheMs`. */
  private async read(keys: readonly string[], now: number): Promise<void> {
    const stale = keys.filter((key) => {
      const cached = this.cache.get(key);
      return !cached || now - cached.readAt >= this.cacheMs || cached.readAt > now;
    });
    if (stale.length === 0) return;
    const found = await this.store.getMany<unknown>(stale);
    for (const key of stale) this.cache.set(key, { value: found.get(key), readAt: now });
  }

  private cached<T>(key: string): T | undefined {
    return this.cache.get(key)?.value as T | undefined;
  }

  private remember(key: string, value: unknown): void {
    this.cache.set(key, { value, readAt: this.now() });
  }

  private keysOf(route: string, family: string, now: number): string[] {
    const keys = [
      snapshotKey(route, family),
      snapshotKey(route, ACCOUNT_FAMILY),
      pointerKey(providerOfRoute(route), family),
    ];
    const profile = profileOfRoute(route);
    for (const limit of (profile && this.limits.get(profile)) || [])
      keys.push(counterKey(profile as string, limit, now));
    return keys;
  }

  /** Every window known for a route and family at `now` (stale snapshots left out). */
  windowsOf(route: string, family: string, now: number): UsageWindow[] {
    const windows: UsageWindow[] = [];
    for (const key of [snapshotKey(route, family), snapshotKey(route, ACCOUNT_FAMILY)]) {
      const snapshot = this.cached<UsageSnapshot>(key);
      if (snapshot) windows.push(...trustedWindows(snapshot, now, this.settings.snapshotTtlMs));
    }
    const profile = profileOfRoute(route);
    for (const limit of (profile && this.limits.get(profile)) || []) {
      const used = this.cached<number>(counterKey(profile as string, limit, now)) ?? 0;
      windows.push(localWindow(limit, used, now));
    }
    return windows;
  }

  async check(
    routes: readonly string[],
    now: number,
    request: HealthRequest = {},
  ): Promise<Map<string, { reason: string; until?: number }>> {
    const families = new Map<string, string>();
    const keys: string[] = [];
    for (const route of routes) {
      const family = modelFamily(request.models?.get(route) ?? "");
      families.set(route, family);
      keys.push(...this.keysOf(route, family, now));
    }
    await this.read(keys, now);
    const estimate = request.estimatedTokens ?? 0;
    const verdicts = new Map<string, { reason: string; until?: number }>();
    const low = new Map<string, { reason: string; until?: number }>();
    const roomy = new Set<string>();
    for (const route of routes) {
      const family = families.get(route) ?? "";
      const headroom = headroomOf(this.windowsOf(route, family, now), now);
      const profile = profileOfRoute(route);
      this.assessed.set(route, {
        headroom,
        family,
        pointer: this.cached<string>(pointerKey(providerOfRoute(route), family)),
        priority: (profile && this.settings.profiles?.[profile]?.priority) || 0,
      });
      const refusal = refusalOf(headroom, estimate, this.settings.switchBelow);
      if (refusal?.hard) verdicts.set(route, refusal);
      else if (refusal) low.set(route, refusal);
      else roomy.add(route);
    }
    // Under the threshold is a reason to leave only while the pool has a member with room.
    const roomyPools = new Set([...roomy].map(providerOfRoute));
    for (const [route, refusal] of low) {
      if (roomyPools.has(providerOfRoute(route)))
        verdicts.set(route, {
          reason: refusal.reason,
          ...(refusal.until === undefined ? {} : { until: refusal.until }),
        });
    }
    return verdicts;
  }

  /**
   * Orders the healthy routes of each pool (routes of one provider): its current member first
   * while that has headroom, then the most headroom, ties by `priority` (higher first), then the
   * order given. Routes of other pools keep their places.
   */
  order<T extends UsageRoute>(routes: readonly T[]): T[] {
    const byPool = new Map<string, number[]>();
    routes.forEach((route, index) => {
      const slots = byPool.get(route.provider.id) ?? [];
      slots.push(index);
      byPool.set(route.provider.id, slots);
    });
    const ordered = [...routes];
    for (const slots of byPool.values()) {
      if (slots.length < 2) continue;
      const members = slots.map((index) => routes[index] as T);
      const score = (route: T): Assessment | undefined => this.assessed.get(route.id);
      const current = score(members[0] as T)?.pointer;
      const sorted = members
        .map((route, index) => ({ route, index }))
        .sort((a, b) => {
          const left = score(a.route);
          const right = score(b.route);
          const switchBelow = this.settings.switchBelow;
          const aCurrent =
            a.route.id === current && (left?.headroom.fraction ?? 1) >= switchBelow ? 1 : 0;
          const bCurrent =
            b.route.id === current && (right?.headroom.fraction ?? 1) >= switchBelow ? 1 : 0;
          return (
            bCurrent - aCurrent ||
            (right?.headroom.fraction ?? 1) - (left?.headroom.fraction ?? 1) ||
            (right?.priority ?? 0) - (left?.priority ?? 0) ||
            a.index - b.index
          );
        });
      slots.forEach((slot, position) => {
        ordered[slot] = (sorted[position] as { route: T }).route;
      });
    }
    return ordered;
  }

  /**
   * Counts one request against the route's declared local limits before it is sent (atomic
   * across processes: an increment over the limit is taken back and the route refused), and
   * takes one request off a header snapshot's `remaining`, so parallel callers see it at once.
   */
  async reserve(route: UsageRoute, estimatedTokens: number): Promise<UsageRefusal | undefined> {
    const now = this.now();
    const profile = route.credential.profile;
    const declared = (profile && this.limits.get(profile)) || [];
    const taken: { key: string; amount: number }[] = [];
    for (const limit of declared) {
      const amount = limit.unit === "requests" ? 1 : Math.max(0, Math.round(estimatedTokens));
      if (amount === 0) continue;
      const key = counterKey(profile as string, limit, now);
      const count = await this.store.increment(key, amount, limit.windowMs * 2);
      taken.push({ key, amount });
      this.remember(key, count);
      if (count > limit.limit) {
        for (const done of taken) {
          const back = await this.store.increment(done.key, -done.amount, limit.windowMs * 2);
          this.remember(done.key, back);
        }
        const window = localWindow(limit, limit.limit, now);
        return {
          reason: `usage: ${profile ?? route.id} reached its declared ${limit.name} limit (${limit.limit})`,
          ...(window.resetAt === undefined ? {} : { until: window.resetAt }),
        };
      }
    }
    const family = modelFamily(route.upstreamModel);
    const key = snapshotKey(route.id, family);
    const snapshot = this.cached<UsageSnapshot>(key);
    if (
      snapshot &&
      Object.values(snapshot.windows).some((window) => window.remaining !== undefined)
    ) {
      const stored = await this.store.update<UsageSnapshot>(
        key,
        (current) => current && spend(current, estimatedTokens, now),
      );
      this.remember(key, stored);
    }
    return undefined;
  }

  /** Folds the rate-limit headers of one response (any status) into the route's snapshots. */
  async observe(route: UsageRoute, headers: ResponseHeaders | undefined): Promise<void> {
    if (!headers || !hasUsageHeaders(headers)) return;
    const now = this.now();
    const parsed = parseUsageHeaders(headers, now);
    for (const [group, windows] of parsed) {
      const family = group === REQUEST_FAMILY ? modelFamily(route.upstreamModel) : group;
      const update: UsageSnapshot = {
        route: route.id,
        family,
        source: "headers",
        windows: Object.fromEntries(windows.map((window) => [window.name, window])),
        updatedAt: now,
      };
      const key = snapshotKey(route.id, family);
      const stored = await this.store.update<UsageSnapshot>(
        key,
        (previous) => mergeSnapshot(previous, update, now),
        SNAPSHOT_KEEP_MS,
      );
      this.remember(key, stored);
    }
  }

  /** Stores a snapshot read elsewhere (a vendor CLI's session files). */
  async record(snapshot: UsageSnapshot): Promise<void> {
    const key = snapshotKey(snapshot.route, snapshot.family);
    const now = this.now();
    const stored = await this.store.update<UsageSnapshot>(
      key,
      (previous) => mergeSnapshot(previous, snapshot, now),
      SNAPSHOT_KEEP_MS,
    );
    this.remember(key, stored);
  }

  /**
   * After a route served a request: moves its pool's current pointer there and, when that left
   * another member of the pool (the session's route or the pool's current one), records the
   * switch and returns it, with the reason the previous member was left.
   */
  async served(
    route: UsageRoute,
    context: {
      sticky: string | undefined;
      excluded: readonly { route: string; reason: string }[];
      tried: readonly { route: string; outcome: string; reason?: string }[];
    },
  ): Promise<ProfileSwitch | undefined> {
    const family = modelFamily(route.upstreamModel);
    const key = pointerKey(route.provider.id, family);
    const pointer = this.cached<string>(key);
    const previous =
      context.sticky && providerOfRoute(context.sticky) === route.provider.id
        ? context.sticky
        : pointer;
    if (pointer !== route.id) {
      await this.store.set(key, route.id, POINTER_KEEP_MS);
      this.remember(key, route.id);
    }
    if (previous === undefined || previous === route.id) return undefined;
    const reason =
      context.excluded.find((entry) => entry.route === previous)?.reason ??
      context.tried.find((entry) => entry.route === previous && entry.outcome !== "ok")?.reason ??
      "another profile has more headroom";
    const fromProfile = profileOfRoute(previous);
    const change: ProfileSwitch = {
      at: this.now(),
      provider: route.provider.id,
      family,
      from: previous,
      to: route.id,
      ...(fromProfile === undefined ? {} : { fromProfile }),
      ...(route.credential.profile === undefined ? {} : { toProfile: route.credential.profile }),
      reason,
    };
    await appendSwitch(this.store, change);
    return change;
  }

  /** Corrects a profile's local token counters with what a request really used. */
  async settle(
    route: UsageRoute,
    usage: { input_tokens: number; output_tokens: number } | undefined,
    estimatedTokens: number,
  ): Promise<void> {
    const profile = route.credential.profile;
    const declared = (profile && this.limits.get(profile)) || [];
    if (!usage || declared.length === 0) return;
    const now = this.now();
    const correction =
      Math.round(usage.input_tokens + usage.output_tokens) - Math.round(estimatedTokens);
    if (correction === 0) return;
    for (const limit of declared) {
      if (limit.unit !== "tokens") continue;
      const key = counterKey(profile as string, limit, now);
      this.remember(key, await this.store.increment(key, correction, limit.windowMs * 2));
    }
  }

  /** The headroom `check` found for a route (for explanations and tests). */
  headroomOf(route: string): Headroom | undefined {
    return this.assessed.get(route)?.headroom;
  }
}
