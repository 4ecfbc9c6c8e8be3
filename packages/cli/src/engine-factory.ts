import { listProfiles, loadProfilePools, type PoolMember, type Profile } from "@hedge/auth";
import {
  GatewayEngine,
  PROVIDER_PRESETS,
  UsageMonitor,
  configCredentials,
  openStore,
  resolveProviders,
  type Credential,
  type CredentialResolver,
  type GatewayObserver,
  type ProviderConfig,
  type Store,
} from "@hedge/gateway";
import type { HedgeConfig } from "./config/schema.js";

export interface EngineSetup {
  engine: GatewayEngine;
  store: Store;
  /** The profile keys loaded for routing (tools redact them from their output). */
  secrets: string[];
  close: () => Promise<void>;
}

/** Opens the Store named by config (`sqlite` under HEDGE_HOME by default). */
export function openConfiguredStore(config: HedgeConfig, home: string): Promise<Store> {
  return openStore(config.store, {
    home,
    auditRetentionMs: config.gateway.audit_retention_days * 86_400_000,
    auditMaxEntries: config.gateway.audit_max_entries,
  });
}

/**
 * Builds the gateway engine from config and profiles: providers (plus the preset of any provider
 * logged in to without a `[providers.X]` table), aliases, policy (a login deliberately allows its
 * provider), routing, credentials (profile pools, then config and env keys), store.
 */
export async function buildEngine(
  config: HedgeConfig,
  home: string,
  options: {
    observer?: GatewayObserver;
    log?: (line: string) => void;
    /** The pinned profile; default `HEDGE_PROFILE` (the global --profile sets it). */
    profile?: string;
    /** `--wait-for-reset`: wait for the earliest reset when every profile is at its limit. */
    waitForReset?: (resetAt: number, reason: string, signal?: AbortSignal) => Promise<void>;
  } = {},
): Promise<EngineSetup> {
  const profiles = listProfiles(home);
  const pinned = options.profile ?? (process.env["HEDGE_PROFILE"] || undefined);
  const pools =
    profiles.length > 0 || pinned
      ? await loadProfilePools(home, {
          ...(pinned ? { pinned } : {}),
          onSkip: (name, reason) => options.log?.(`hedge: profile ${name} skipped: ${reason}`),
        })
      : new Map<string, PoolMember[]>();
  const deliberate = deliberateProviders(profiles);
  const store = await openConfiguredStore(config, home);
  const usage = new UsageMonitor(store, {
    switchBelow: config.usage.switch_below,
    snapshotTtlMs: config.usage.snapshot_ttl_s * 1000,
    profiles: config.profiles,
    cacheMs: config.routing.health_cache_ms,
  });
  const engine = new GatewayEngine({
    providers: resolveProviders(withLoggedInPresets(config.providers, deliberate)),
    aliases: config.aliases,
    policy: config.policy,
    routing: config.routing,
    credentials: poolCredentials(pools, configCredentials()),
    deliberate,
    store,
    usage,
    ...(options.waitForReset ? { waitForReset: options.waitForReset } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return {
    engine,
    store,
    secrets: [...pools.values()].flatMap((members) => members.map((member) => member.secret)),
    close: async () => {
      await engine.flush();
      await store.close();
    },
  };
}

/**
 * Providers deliberately configured under the local-first policy: those with at least one
 * api-key profile. (cli-login and gateway profiles are not routes of this engine.)
 */
export function deliberateProviders(profiles: readonly Profile[]): Set<string> {
  return new Set(
    profiles.filter((profile) => profile.kind === "api-key").map((profile) => profile.provider),
  );
}

/** `[providers.*]` plus an empty table for each logged-in preset provider not configured. */
export function withLoggedInPresets(
  configured: Readonly<Record<string, ProviderConfig>>,
  loggedIn: ReadonlySet<string>,
): Record<string, ProviderConfig> {
  const providers: Record<string, ProviderConfig> = { ...configured };
  for (const provider of loggedIn) {
    if (!Object.hasOwn(providers, provider) && PROVIDER_PRESETS[provider]) providers[provider] = {};
  }
  return providers;
}

/**
 * Credentials from profile pools first (each ordered by loadProfilePools: the pinned profile
 * alone, or the active one then the rest), then `fallback` (config and env keys). Secrets were
 * read once, when the pools were loaded.
 */
export function poolCredentials(
  pools: ReadonlyMap<string, readonly PoolMember[]>,
  fallback: CredentialResolver,
): CredentialResolver {
  const byProvider = new Map<string, Credential[]>();
  for (const [provider, members] of pools) {
    byProvider.set(
      provider,
      members.map((member): Credential => ({
        id: `profile:${member.name}`,
        source: "profile",
        profile: member.name,
        secret: member.secret,
        ...(member.region === undefined ? {} : { region: member.region }),
      })),
    );
  }
  return {
    credentialsFor(provider) {
      const profiles = byProvider.get(provider.id) ?? [];
      const rest = fallback.credentialsFor(provider);
      if (profiles.length === 0) return rest;
      // A local provider runs without a key only when it has nothing else.
      return [...profiles, ...rest.filter((credential) => credential.source !== "none")];
    },
  };
}
