import { HedgeError } from "@hedge/model-spec";
import type { Profile } from "./profile-schema.js";
import { getProfile, listProfiles, readProfileSecret } from "./profiles.js";

/** One api-key profile of a pool with its secret, read once when an engine is built. */
export interface PoolMember {
  name: string;
  provider: string;
  region: string | undefined;
  secret: string;
}

export interface LoadPoolsOptions {
  /** A pinned profile (global --profile / HEDGE_PROFILE): its provider's pool is only this one. */
  pinned?: string;
  /** A profile skipped because its secret could not be read (message without the secret). */
  onSkip?: (name: string, reason: string) => void;
}

/**
 * The api-key pools by provider, each with the active profile first, then the rest by name.
 * Secrets are read here, once: keychain reads take milliseconds each and must not sit on the
 * request path.
 */
export async function loadProfilePools(
  home: string,
  options: LoadPoolsOptions = {},
): Promise<Map<string, PoolMember[]>> {
  const pinned = options.pinned ? getProfile(home, options.pinned) : undefined;
  const profiles = listProfiles(home).filter(
    (profile) =>
      profile.kind === "api-key" &&
      (!pinned || profile.provider !== pinned.provider || profile.name === pinned.name),
  );
  const ordered = [...profiles].sort((a, b) => Number(b.active) - Number(a.active));
  const pools = new Map<string, PoolMember[]>();
  for (const profile of ordered) {
    const member = await memberOf(home, profile, options, profile.name === pinned?.name);
    if (!member) continue;
    const pool = pools.get(profile.provider) ?? [];
    pool.push(member);
    pools.set(profile.provider, pool);
  }
  return pools;
}

async function memberOf(
  home: string,
  profile: Profile,
  options: LoadPoolsOptions,
  required: boolean,
): Promise<PoolMember | undefined> {
  let secret: string | undefined;
  try {
    secret = await readProfileSecret(home, profile);
  } catch (error) {
    if (required) throw error;
    options.onSkip?.(profile.name, error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if (secret === undefined) {
    const reason = `its secret is missing from the ${profile.store} store`;
    if (required) throw missingSecret(profile.name, reason);
    options.onSkip?.(profile.name, reason);
    return undefined;
  }
  return { name: profile.name, provider: profile.provider, region: profile.region, secret };
}

function missingSecret(name: string, reason: string): HedgeError {
  return new HedgeError("profile_incomplete", `profile "${name}": ${reason}`, {
    hint: `log in again: hedge auth login --profile ${name} --force ...`,
  });
}
