import {
  GatewayAdmin,
  GatewayKeyStore,
  Heartbeat,
  KEY_SCOPES,
  SharedKeyRing,
  publishKey,
  revokedKeyIds,
  sharedKeyRecords,
  unpublishKey,
  clearLoginMarks,
  resetRoutes,
  routeMatcher,
  routesWithState,
  type GatewayEngine,
  type KeyScope,
  type GatewayKeyRecord,
  type ResetRoute,
  type Store,
} from "@hedge/gateway";
import type { CommandContext } from "../command-context.js";
import type { HedgeConfig } from "../config/schema.js";
import { reportProfiles } from "./report-profiles.js";
import { withStore } from "./with-store.js";

// The gateway's own administration, for the commands that do it (serve, keys, reset, the
// heartbeat, a login clearing its marks). Reading routing state goes through ModelClient instead.

export type { ResetRoute, KeyScope };
/** What a gateway key may be limited to (`hedge gateway key create --scope`). */
export const GATEWAY_KEY_SCOPES: readonly KeyScope[] = KEY_SCOPES;

/** What `hedge gateway serve` answers on `/hedge/v1/*`: its engine's views, this home's profiles. */
export function gatewayAdmin(
  engine: GatewayEngine,
  config: HedgeConfig,
  home: string,
): GatewayAdmin {
  return new GatewayAdmin(engine, { profiles: () => reportProfiles(config, home) });
}

/** The gateway keys of `home` (only their hashes are stored). */
export function gatewayKeys(home: string): GatewayKeyStore {
  return new GatewayKeyStore(home);
}

/** Whether gateway keys are shared by a fleet: a Redis store, which replicas on many machines use. */
export const sharesKeys = (config: HedgeConfig): boolean => /^rediss?:\/\//i.test(config.store);

/**
 * With a Redis store, `keys` also accepts the keys published there (created on any replica),
 * refreshed every second from `store`; returns the ring's stop. Without one, nothing.
 */
export async function shareGatewayKeys(
  config: HedgeConfig,
  keys: GatewayKeyStore,
  store: Store | undefined,
  log: (line: string) => void,
): Promise<() => void> {
  if (!sharesKeys(config) || !store) return () => undefined;
  const ring = new SharedKeyRing(store, { log });
  await ring.start();
  keys.share(ring);
  return () => ring.stop();
}

/** Publishes a new key's record to the fleet (a Redis store); nothing otherwise. */
export async function publishGatewayKey(
  context: CommandContext,
  record: GatewayKeyRecord,
): Promise<void> {
  if (!sharesKeys(context.loaded.config)) return;
  await withStore(context, (store) => publishKey(store, record));
}

/** The fleet's key records and the ids revoked fleet-wide (a Redis store), or none. */
export async function fleetGatewayKeys(
  context: CommandContext,
): Promise<{ records: GatewayKeyRecord[]; revoked: ReadonlySet<string> }> {
  if (!sharesKeys(context.loaded.config)) return { records: [], revoked: new Set() };
  return withStore(context, async (store) => ({
    records: await sharedKeyRecords(store),
    revoked: new Set(await revokedKeyIds(store)),
  }));
}

/** Removes a key record from the fleet (a Redis store); whether it was there. */
export async function unpublishGatewayKey(context: CommandContext, id: string): Promise<boolean> {
  if (!sharesKeys(context.loaded.config)) return false;
  return withStore(context, (store) => unpublishKey(store, id));
}

/**
 * Clears the breakers, cooldowns and marks of the routes `route` names (a route id or a provider
 * id), or of every route; `unknown` lists the routes with state when `route` names none of them.
 */
export async function resetRouteState(
  context: CommandContext,
  route: string | undefined,
): Promise<{ store: string; reset: ResetRoute[] } | { unknown: string[] }> {
  return withStore(context, async (store) => {
    const matches = route === undefined ? () => true : routeMatcher(route);
    if (route !== undefined) {
      const known = await routesWithState(store);
      if (!known.some(matches)) return { unknown: known };
    }
    return { store: store.kind, reset: await resetRoutes(store, matches) };
  });
}

/** Ends the marks a profile's previous key earned; returns how many were cleared. */
export async function clearProfileMarks(
  context: CommandContext,
  provider: string,
  profile: string,
): Promise<number> {
  const cleared = await withStore(context, (store) => clearLoginMarks(store, provider, profile));
  return cleared.reduce((count, route) => count + route.cooldowns.length, 0);
}

/**
 * Runs the usage heartbeat on the configured Store: `each` gets a tick function (expire stale
 * snapshots, clear ended cooldowns, read Codex limits, log switches through `log`) and the
 * Store's kind; the Store is closed when `each` returns.
 */
export async function withHeartbeat<T>(
  context: CommandContext,
  log: (line: string) => void,
  each: (heartbeat: { tick: () => Promise<void>; storeKind: string }) => Promise<T>,
): Promise<T> {
  const { config } = context.loaded;
  return withStore(context, (store) => {
    const heartbeat = new Heartbeat(store, {
      profiles: reportProfiles(config, context.home),
      snapshotTtlMs: config.usage.snapshot_ttl_s * 1000,
      log,
    });
    return each({ tick: () => heartbeat.tick(), storeKind: store.kind });
  });
}
