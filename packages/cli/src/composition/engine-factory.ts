import { listProfiles, loadProfilePools, type PoolMember } from "@hedge/auth";
import {
  createGateway,
  deliberateProviders,
  openGatewayStore,
  type Gateway,
  type GatewayInputs,
  type GatewayObserver,
  type Store,
} from "@hedge/gateway";
import type { HedgeConfig } from "../config/schema.js";

export { deliberateProviders, withLoggedInPresets } from "@hedge/gateway";

/** The in-process gateway a command uses, built by the gateway's own composition root. */
export type EngineSetup = Gateway;

/** Opens the Store named by config (`sqlite` under HEDGE_HOME by default). */
export function openConfiguredStore(config: HedgeConfig, home: string): Promise<Store> {
  return openGatewayStore(config, home);
}

/**
 * Builds the gateway from config and the login profiles in `home`: each provider's api-key
 * profiles form its pool (the pinned profile alone: `profile`, default `HEDGE_PROFILE`, which
 * the global --profile sets), and every provider with an api-key profile counts as deliberately
 * configured. Secrets are read here, once (`createGateway` assembles the rest).
 */
export async function buildEngine(
  config: HedgeConfig,
  home: string,
  options: {
    observer?: GatewayObserver;
    log?: (line: string) => void;
    /**
     * The pinned profile; default `HEDGE_PROFILE` (the global --profile sets it). null: none,
     * every profile in its pool (the TUI pins per session, in the thread, and may switch).
     */
    profile?: string | null;
    /** `--wait-for-reset`: wait for the earliest reset when every profile is at its limit. */
    waitForReset?: GatewayInputs["waitForReset"];
  } = {},
): Promise<EngineSetup> {
  const profiles = listProfiles(home);
  const pinned =
    options.profile === null
      ? undefined
      : (options.profile ?? (process.env["HEDGE_PROFILE"] || undefined));
  const pools =
    profiles.length > 0 || pinned
      ? await loadProfilePools(home, {
          ...(pinned ? { pinned } : {}),
          onSkip: (name, reason) => options.log?.(`hedge: profile ${name} skipped: ${reason}`),
        })
      : new Map<string, PoolMember[]>();
  return createGateway(config, {
    home,
    pools,
    deliberate: deliberateProviders(profiles),
    ...(options.waitForReset ? { waitForReset: options.waitForReset } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
