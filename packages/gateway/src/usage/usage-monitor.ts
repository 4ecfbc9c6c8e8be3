import type { ResponseHeaders } from "../routing/reset-time.js";
import type { HealthInput, HealthRequest, HealthVerdicts } from "../routing/health.js";
import type { Store } from "../store/store.js";
import { modelFamily, profileOfRoute, providerOfRoute } from "./family.js";
import {
  correctLocalTokens,
  counterKey,
  localLimits,
  localWindow,
  type LocalLimit,
} from "./local-limits.js";
import { orderPools, type PoolStanding } from "./pool-order.js";
import { parseUsageHeaders, REQUEST_FAMILY } from "./parse-headers.js";
import {
  ACCOUNT_FAMILY,
  headroomOf,
  mergeSnapshot,
  spend,
  trustedWindows,
  snapshotKey,
  SNAPSHOT_KEEP_MS,
  type UsageSnapshot,
  type UsageWindow,
} from "./snapshot.js";
import { refusalOf } from "./refusal.js";
import { SnapshotWriter } from "./snapshot-writer.js";
import type { ProfileSwitch } from "./switch-log.js";
import { movePointer, pointerKey } from "./pool-pointer.js";
import { reserveCounted, type ReservationDeps } from "./reservation.js";
import { validUntil, type Slot } from "./standing-slot.js";
import type { UsageRefusal, UsageRoute, UsageSettings } from "./usage-settings.js";

export { pointerKey } from "./pool-pointer.js";
export type { UsageRefusal, UsageRoute, UsageSettings } from "./usage-settings.js";

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
  private readonly cacheMs: number;
  private readonly limits = new Map<string, LocalLimit[]>();
  private readonly writer: SnapshotWriter;
  private readonly reservations: ReservationDeps;
  /**
   * Under this share left a snapshot is near the switch threshold: its updates and the requests
   * spent from it go to the Store at once, so no process decides on numbers another one has not
   * written. Twice `switch_below` (at least 10 points above it) leaves room for the updates a
   * busy pool makes between two coalesced writes.
   */
  private readonly nearBelow: number;

  constructor(
    readonly store: Store,
    readonly settings: UsageSettings,
    readonly now: () => number = Date.now,
  ) {
    this.cacheMs = settings.cacheMs ?? 100;
    this.nearBelow = Math.min(1, Math.max(settings.switchBelow * 2, settings.switchBelow + 0.1));
    this.writer = new SnapshotWriter(store, {
      flushMs: settings.flushMs ?? 0,
      now,
      stored: (key, value) => this.remember(key, value),
      onError: settings.onError ?? (() => undefined),
    });
    this.reservations = {
      store,
      limits: this.limits,
      writer: this.writer,
      now,
      remember: this.remembers,
    };
    for (const [profile, profileSettings] of Object.entries(settings.profiles ?? {})) {
      const declared = localLimits(profileSettings.limits);
      if (declared.length) this.limits.set(profile, declared);
    }
  }

  /**
   * Reads the given keys, reusing reads younger than `cacheMs`: synchronous (undefined) when
   * every key is fresh, the common case on the request path.
   */
  private read(keys: readonly string[], now: number): Promise<void> | undefined {
    let stale: string[] | undefined;
    for (const key of keys) {
      const cached = this.cache.get(key);
      if (!cached || now - cached.readAt >= this.cacheMs || cached.readAt > now)
        (stale ??= []).push(key);
    }
    if (stale === undefined) return undefined;
    const keysToRead = stale;
    return this.store.getMany<unknown>(keysToRead).then((found) => {
      for (const key of keysToRead) {
        const value = found.get(key);
        this.cache.set(key, {
          value: this.writer.has(key) ? this.writer.overlay(key, value as UsageSnapshot) : value,
          readAt: now,
        });
      }
    });
  }

  private cached<T>(key: string): T | undefined {
    return this.cache.get(key)?.value as T | undefined;
  }

  private remember(key: string, value: unknown): void {
    this.cache.set(key, { value, readAt: this.now() });
  }

  private readonly remembers = (key: string, value: unknown): void => this.remember(key, value);

  /** A value changed here but not yet written: the next read of the Store still happens. */
  private rememberLocal(key: string, value: unknown): void {
    const cached = this.cache.get(key);
    if (cached) cached.value = value;
    else this.cache.set(key, { value, readAt: Number.NEGATIVE_INFINITY });
  }

  /** Whether a snapshot is near (or past) the switch threshold: see `nearBelow`. */
  private near(snapshot: UsageSnapshot | undefined, now: number): boolean {
    if (!snapshot) return false;
    const windows = trustedWindows(snapshot, now, this.settings.snapshotTtlMs);
    return headroomOf(windows, now).fraction < this.nearBelow;
  }

  /** Writes the coalesced snapshot updates still pending (on shutdown). */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** The slot of a route and family (two lookups, no string built: runs per route per request). */
  private slotOf(route: string, family: string): Slot {
    let byFamily = this.slots.get(route);
    if (!byFamily) {
      if (this.slots.size >= 10_000) this.slots.clear();
      byFamily = new Map();
      this.slots.set(route, byFamily);
    }
    let slot = byFamily.get(family);
    if (!slot) {
      const profile = profileOfRoute(route);
      const keys = [
        snapshotKey(route, family),
        snapshotKey(route, ACCOUNT_FAMILY),
        pointerKey(providerOfRoute(route), family),
      ];
      slot = {
        keys,
        profile,
        counted: profile !== undefined && this.limits.has(profile),
        validUntil: Number.NEGATIVE_INFINITY,
      };
      byFamily.set(family, slot);
    }
    return slot;
  }

  /** Keys of routes without declared limits never change; counters' keys follow their window. */
  private keysOf(route: string, family: string, now: number): readonly string[] {
    const slot = this.slotOf(route, family);
    if (!slot.counted) return slot.keys;
    const keys = [...slot.keys];
    const profile = slot.profile as string;
    for (const limit of this.limits.get(profile) ?? []) keys.push(counterKey(profile, limit, now));
    return keys;
  }

  /** Every window known for a route and family at `now` (stale snapshots left out). */
  windowsOf(route: string, family: string, now: number): UsageWindow[] {
    const windows: UsageWindow[] = [];
    const keys = this.keysOf(route, family, now);
    for (const key of [keys[0] as string, keys[1] as string]) {
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

  check(
    routes: readonly string[],
    now: number,
    request: HealthRequest = {},
  ): HealthVerdicts | Promise<HealthVerdicts> {
    const families: string[] = [];
    let keys: string[] | readonly string[] | undefined;
    for (const route of routes) {
      const family = modelFamily(request.models?.get(route) ?? "");
      families.push(family);
      const routeKeys = this.keysOf(route, family, now);
      if (routes.length === 1) keys = routeKeys;
      else {
        keys ??= [];
        for (const key of routeKeys) (keys as string[]).push(key);
      }
    }
    const reading = this.read(keys ?? [], now);
    if (reading === undefined) return this.verdicts(routes, families, now, request);
    return reading.then(() => this.verdicts(routes, families, now, request));
  }

  /** Per route and family: what `verdicts` last concluded and from which values (see `standingOf`). */
  private readonly slots = new Map<string, Map<string, Slot>>();

  /**
   * A route's standing for a family at `now`. Its headroom is computed again only when a value
   * it came from changed (a new snapshot object, a counter) or a window reset or went stale
   * since: in a pool of 64 profiles most members' numbers do not change between two requests.
   */
  private standingOf(route: string, family: string, now: number): PoolStanding {
    const slot = this.slotOf(route, family);
    const own = this.cached<UsageSnapshot>(slot.keys[0] as string);
    const account = this.cached<UsageSnapshot>(slot.keys[1] as string);
    const pointer = this.cached<string>(slot.keys[2] as string);
    const { profile, counted } = slot;
    if (
      slot.standing === undefined ||
      counted ||
      slot.own !== own ||
      slot.account !== account ||
      now >= slot.validUntil
    ) {
      slot.own = own;
      slot.account = account;
      slot.validUntil = validUntil([own, account], now, this.settings.snapshotTtlMs);
      slot.standing = {
        headroom: headroomOf(this.windowsOf(route, family, now), now),
        pointer,
        priority: (profile && this.settings.profiles?.[profile]?.priority) || 0,
      };
    } else if (slot.standing.pointer !== pointer) {
      slot.standing = { ...slot.standing, pointer };
    }
    return slot.standing;
  }

  private verdicts(
    routes: readonly string[],
    families: readonly string[],
    now: number,
    request: HealthRequest,
  ): HealthVerdicts {
    const estimate = request.estimatedTokens ?? 0;
    const verdicts: HealthVerdicts = new Map();
    let low: HealthVerdicts | undefined;
    let roomyPools: Set<string> | undefined;
    for (let index = 0; index < routes.length; index += 1) {
      const route = routes[index] as string;
      const { headroom } = this.standingOf(route, families[index] ?? "", now);
      const refusal = refusalOf(headroom, estimate, this.settings.switchBelow);
      if (refusal?.hard) verdicts.set(route, { ...refusal, limited: true });
      else if (refusal) (low ??= new Map()).set(route, refusal);
      else (roomyPools ??= new Set()).add(providerOfRoute(route));
    }
    // Under the threshold is a reason to leave only while the pool has a member with room.
    for (const [route, refusal] of low ?? []) {
      if (roomyPools?.has(providerOfRoute(route)))
        verdicts.set(route, {
          reason: refusal.reason,
          limited: true,
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
    return orderPools(
      routes,
      (route) => this.slots.get(route.id)?.get(modelFamily(route.upstreamModel))?.standing,
      this.settings.switchBelow,
    );
  }

  /**
   * Counts one request against the route's declared local limits before it is sent (atomic
   * across processes: an increment over the limit is taken back and the route refused), and
   * takes one request off a header snapshot's `remaining`, so parallel callers see it at once.
   */
  reserve(
    route: UsageRoute,
    estimatedTokens: number,
  ): UsageRefusal | undefined | Promise<UsageRefusal | undefined> {
    const profile = route.credential.profile;
    const declared = profile === undefined ? undefined : this.limits.get(profile);
    const key = snapshotKey(route.id, modelFamily(route.upstreamModel));
    const snapshot = this.cached<UsageSnapshot>(key);
    const counted =
      snapshot !== undefined &&
      Object.values(snapshot.windows).some((window) => window.remaining !== undefined);
    // Nothing declared and nothing counted down: the request path pays no Store call.
    if (declared === undefined && !counted) return undefined;
    if (declared === undefined && snapshot !== undefined) {
      const now = this.now();
      if (!this.near(snapshot, now)) {
        // Far from the threshold the spend is coalesced like the headers' updates.
        const spent = spend(snapshot, estimatedTokens, now);
        this.rememberLocal(key, spent);
        const urgent = this.near(spent, now);
        const writing = this.writer.write(key, spent, urgent);
        return writing?.then(() => undefined);
      }
    }
    return reserveCounted(this.reservations, route, estimatedTokens, counted ? key : undefined);
  }

  /**
   * Folds the rate-limit headers of one response (any status) into the route's snapshots: at
   * once in this process, in the Store coalesced (see `SnapshotWriter`) unless the snapshot is
   * near or across the switch threshold, when the promise is that write.
   */
  observe(route: UsageRoute, headers: ResponseHeaders | undefined): Promise<void> | undefined {
    if (!headers) return undefined;
    const now = this.now();
    const parsed = parseUsageHeaders(headers, now);
    if (parsed.size === 0) return undefined;
    let writes: Promise<unknown>[] | undefined;
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
      const before = this.cached<UsageSnapshot>(key);
      const local = mergeSnapshot(before, update, now);
      this.rememberLocal(key, local);
      const writing = this.writer.write(
        key,
        update,
        this.near(before, now) || this.near(local, now),
      );
      if (writing) (writes ??= []).push(writing);
    }
    return writes && Promise.all(writes).then(() => undefined);
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
  served(
    route: UsageRoute,
    context: {
      sticky: string | undefined;
      excluded: readonly { route: string; reason: string }[];
      tried: readonly { route: string; outcome: string; reason?: string }[];
    },
  ): ProfileSwitch | undefined | Promise<ProfileSwitch | undefined> {
    const family = modelFamily(route.upstreamModel);
    const key = pointerKey(route.provider.id, family);
    const pointer = this.cached<string>(key);
    const previous =
      context.sticky && providerOfRoute(context.sticky) === route.provider.id
        ? context.sticky
        : pointer;
    // Still on the pool's current member: nothing to store or report.
    if (pointer === route.id && (previous === undefined || previous === route.id)) return undefined;
    return movePointer(this.reservations, route, context, family, key, pointer, previous);
  }

  /** Corrects a profile's local token counters with what a request really used. */
  settle(
    route: UsageRoute,
    usage: { input_tokens: number; output_tokens: number } | undefined,
    estimatedTokens: number,
  ): Promise<void> | undefined {
    const profile = route.credential.profile;
    const declared = profile === undefined ? undefined : this.limits.get(profile);
    if (!usage || profile === undefined || declared === undefined) return undefined;
    const correction =
      Math.round(usage.input_tokens + usage.output_tokens) - Math.round(estimatedTokens);
    return correctLocalTokens(
      this.store,
      profile,
      declared,
      correction,
      this.now(),
      this.remembers,
    );
  }
}
