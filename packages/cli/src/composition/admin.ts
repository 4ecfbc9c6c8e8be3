import {
  GatewayAdmin,
  GatewayKeyStore,
  Heartbeat,
  KEY_SCOPES,
  clearLoginMarks,
  resetRoutes,
  routeMatcher,
  routesWithState,
  type GatewayEngine,
  type KeyScope,
  type ResetRoute,
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
