import { StateViews, type Store } from "@hedge/gateway";
import type { EmbeddedGateway } from "@hedge/gateway-client";
import { waitForReset as waitUntilReset } from "./usage-wait.js";
import type { HedgeConfig } from "../config/schema.js";
import { buildEngine, openConfiguredStore, type EngineSetup } from "./engine-factory.js";
import { reportProfiles } from "./report-profiles.js";

/** This machine's gateway in-process, and the keys its engine loaded. */
export interface LocalGateway extends EmbeddedGateway {
  /** The profile keys loaded for routing (tools redact them); builds the engine. */
  secrets(): Promise<readonly string[]>;
}

/**
 * This machine's gateway, each part opened on first need: the engine (which reads the profiles'
 * keys) for model calls, route explain and verdicts; the Store alone for usage, status and stats,
 * so those never touch the keychain.
 */
export function localGateway(
  config: HedgeConfig,
  home: string,
  options: {
    waitForReset?: boolean;
    /** false: the engine loads every profile (the session pins one in the thread instead). */
    pinPools?: boolean;
  } = {},
): LocalGateway {
  let setup: Promise<EngineSetup> | undefined;
  let store: Promise<Store> | undefined;
  const engineSetup = (): Promise<EngineSetup> =>
    // --wait-for-reset: when every profile is exhausted, wait (with a countdown) instead of failing.
    (setup ??= buildEngine(config, home, {
      ...(options.waitForReset ? { waitForReset: waitUntilReset } : {}),
      ...(options.pinPools === false ? { profile: null } : {}),
    }));
  const profiles = (): ReturnType<typeof reportProfiles> => reportProfiles(config, home);
  return {
    engine: async () => (await engineSetup()).engine,
    profiles,
    views: async () => {
      const built = setup ? await setup : undefined;
      // What this process recorded (a verdict, a call) is in the views it reads.
      await built?.engine.flush();
      return new StateViews({
        ...(built ? built.engine.stateSources() : {}),
        store: built ? built.store : await (store ??= openConfiguredStore(config, home)),
        breakerCooldownMs: config.routing.breaker.cooldown_ms,
        usage: {
          switchBelow: config.usage.switch_below,
          snapshotTtlMs: config.usage.snapshot_ttl_s * 1000,
        },
        profiles,
      });
    },
    secrets: async () => (await engineSetup()).secrets,
    close: async () => {
      // A part that failed to open has nothing to release (its error was already reported).
      const [built, opened] = await Promise.all([
        setup?.catch(() => undefined),
        store?.catch(() => undefined),
      ]);
      await built?.close();
      await opened?.close();
    },
  };
}
