import type { PoolMember, Profile } from "@hedge/auth";
import type { GatewayConfig, ProviderConfig } from "./config-schema.js";
import {
  configCredentials,
  type Credential,
  type CredentialResolver,
} from "./engine/credentials.js";
import { GatewayEngine } from "./engine/engine.js";
import type { GatewayObserver } from "./engine/observer.js";
import { PROVIDER_PRESETS } from "./providers/presets.js";
import { resolveProviders, type ResolvedProvider } from "./providers/resolve.js";
import { openStore } from "./store/open-store.js";
import { mergeOutageState } from "./store/outage-merge.js";
import { ResilientStore, type StoreHealth } from "./store/resilient-store.js";
import type { Store } from "./store/store.js";
import { UsageMonitor } from "./usage/usage-monitor.js";

/** What a gateway is built from besides its config sections. */
export interface GatewayInputs {
  /** `$HEDGE_HOME`: where the SQLite store lives. */
  home: string;
  /**
   * The api-key login profiles by provider, secrets read (`loadProfilePools` of `@hedge/auth`):
   * each pool's order is the order its members are tried.
   */
  pools?: ReadonlyMap<string, readonly PoolMember[]>;
  /**
   * Providers deliberately configured by a login, which the local-first policy then allows
   * (`deliberateProviders`); by default the providers of `pools`.
   */
  deliberate?: ReadonlySet<string>;
  /** Where `api_key_env` keys are read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** The clock of the engine, the store and the usage heartbeat (tests move it by hand). */
  now?: () => number;
  /** Receives a record per finished request (metrics). */
  observer?: GatewayObserver;
  /** Receives one line per problem worth a log (never a secret). */
  log?: (line: string) => void;
  /**
   * `--wait-for-reset`: when every route is out for its limits, an embedded call waits for the
   * earliest reset (this resolves when it is time to try again) instead of failing.
   */
  waitForReset?: (resetAt: number, reason: string, signal?: AbortSignal) => Promise<void>;
  /** How often the Store is probed during an outage (default 1000 ms). */
  storeProbeMs?: number;
}

/** A gateway built by `createGateway`: its engine and what the engine holds. */
export interface Gateway {
  engine: GatewayEngine;
  store: Store;
  /** The usage heartbeat (headroom per profile, switches, local limits). */
  usage: UsageMonitor;
  providers: readonly ResolvedProvider[];
  /** The profile keys loaded for routing (a tool guard redacts them from tool output). */
  secrets: readonly string[];
  /** Whether the Store is up, or since when the gateway serves from memory (`/healthz`). */
  storeHealth: () => StoreHealth;
  /** Flushes the audit log and closes the store. */
  close: () => Promise<void>;
}

/**
 * The one composition root of the gateway: from its config sections and the login profiles, the
 * providers (with the preset of each provider logged in to without a `[providers.X]` table),
 * the policy (a login deliberately allows its provider), routing, the store the config names,
 * the usage heartbeat, and credentials (profile pools first, then config and env keys).
 */
export async function createGateway(
  config: GatewayConfig,
  inputs: GatewayInputs,
): Promise<Gateway> {
  const pools = inputs.pools ?? new Map<string, readonly PoolMember[]>();
  const deliberate = inputs.deliberate ?? new Set(pools.keys());
  const backend = await openGatewayStore(config, inputs.home, inputs.now);
  // A Store outage (Redis down, SQLite locked or unwritable) must not stop the gateway serving.
  const store =
    backend.kind === "memory"
      ? backend
      : new ResilientStore(backend, {
          ...(inputs.now ? { now: inputs.now } : {}),
          merge: mergeOutageState,
          ...(inputs.log ? { log: inputs.log } : {}),
          ...(inputs.storeProbeMs === undefined ? {} : { probeMs: inputs.storeProbeMs }),
        });
  const usage = new UsageMonitor(
    store,
    {
      switchBelow: config.usage.switch_below,
      snapshotTtlMs: config.usage.snapshot_ttl_s * 1000,
      profiles: config.profiles,
      cacheMs: config.routing.health_cache_ms,
      flushMs: config.usage.flush_ms,
      onError: (error) => inputs.log?.(`gateway: usage snapshot write failed: ${String(error)}`),
    },
    inputs.now,
  );
  const providers = resolveProviders(withLoggedInPresets(config.providers, deliberate));
  const engine = new GatewayEngine({
    providers,
    aliases: config.aliases,
    policy: config.policy,
    routing: config.routing,
    credentials: poolCredentials(pools, configCredentials(inputs.env)),
    deliberate,
    store,
    usage,
    ...(inputs.now ? { now: inputs.now } : {}),
    ...(inputs.waitForReset ? { waitForReset: inputs.waitForReset } : {}),
    ...(inputs.observer ? { observer: inputs.observer } : {}),
    ...(inputs.log ? { log: inputs.log } : {}),
  });
  return {
    engine,
    store,
    usage,
    providers,
    secrets: [...pools.values()].flatMap((members) => members.map((member) => member.secret)),
    storeHealth: () =>
      store instanceof ResilientStore ? store.health() : { kind: store.kind, degraded: false },
    close: async () => {
      await engine.flush();
      await usage.flush();
      await store.close();
    },
  };
}

/**
 * Opens the Store the config names (`store`: SQLite under `home` by default), keeping the audit
 * log as `[gateway]` says. Commands that read or reset routing state open it alone.
 */
export function openGatewayStore(
  config: Pick<GatewayConfig, "store" | "gateway">,
  home: string,
  now?: () => number,
): Promise<Store> {
  return openStore(config.store, {
    home,
    auditRetentionMs: config.gateway.audit_retention_days * 86_400_000,
    auditMaxEntries: config.gateway.audit_max_entries,
    ...(now ? { now } : {}),
  });
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
 * Credentials from profile pools first (each in its pool's order: the pinned profile alone, or
 * the active one then the rest), then `fallback` (config and env keys). Secrets were read once,
 * when the pools were loaded.
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
