import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { HedgeError, UsageError } from "@hedge/model-spec";
import {
  PROFILE_NAME_PATTERN,
  type Profile,
  type ProfileKind,
  type ProfileRecord,
  type ProfilesFile,
} from "./profile-schema.js";
import { readProfilesFile, updateProfiles } from "./profiles-file.js";
import { assertSecretText } from "./secret-input.js";
import { storeAt, type SecretStore } from "./secret-store.js";

/** Throws a usage error unless `name` is a valid profile name. */
export function assertProfileName(name: string): void {
  if (!PROFILE_NAME_PATTERN.test(name)) {
    throw new UsageError(`invalid profile name "${name}"`, {
      code: "profile_name_invalid",
      hint: "use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, up to 64 characters",
    });
  }
}

/** Every profile, by provider then name. */
export function listProfiles(home: string): Profile[] {
  return profilesOf(readProfilesFile(home));
}

function profilesOf(data: ProfilesFile): Profile[] {
  return Object.entries(data.profiles)
    .map(([name, record]) => toProfile(name, record, data))
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.name.localeCompare(b.name));
}

function toProfile(name: string, record: ProfileRecord, data: ProfilesFile): Profile {
  return { name, ...record, active: data.active[record.provider] === name };
}

/** The profile named `name`, or a clear error listing the ones there are. */
export function getProfile(home: string, name: string): Profile {
  return profileIn(readProfilesFile(home), name);
}

function profileIn(data: ProfilesFile, name: string): Profile {
  const record = data.profiles[name];
  if (!record) throw noSuchProfile(name, Object.keys(data.profiles));
  return toProfile(name, record, data);
}

function noSuchProfile(name: string, known: readonly string[]): HedgeError {
  return new HedgeError("profile_not_found", `no profile named "${name}"`, {
    exitCode: 2,
    hint: known.length
      ? `profiles: ${known.slice(0, 10).join(", ")} (see 'hedge auth list')`
      : "create one with 'hedge auth login --provider PROVIDER'",
  });
}

/** The managed home of a cli-login profile. */
export function cliLoginHome(home: string, name: string): string {
  return join(home, "homes", name);
}

export interface NewProfile {
  name: string;
  provider: string;
  kind: ProfileKind;
  region?: string;
  labels?: readonly string[];
  /** cli-login: the vendor CLI's home. */
  home?: string;
  /** gateway: the remote gateway's URL. */
  url?: string;
}

export interface SavedProfile {
  profile: Profile;
  /** The profile it replaced (`force`), if any. */
  replaced: Profile | undefined;
  /** Profiles of this provider after the save (including this one). */
  poolSize: number;
}

/** Creating a profile whose name is taken, without `force`. */
export function profileExistsError(
  existing: Pick<Profile, "name" | "provider" | "kind">,
): UsageError {
  return new UsageError(`a profile named "${existing.name}" already exists`, {
    code: "profile_exists",
    hint: `pick another --profile name, or add --force to replace it (${existing.provider}, ${existing.kind})`,
  });
}

/**
 * Creates (or with `force` replaces) a profile: the secret goes to `store` first, then the
 * metadata, all under the profiles lock. The first profile of a provider becomes its active one.
 */
export async function saveProfile(
  home: string,
  input: NewProfile,
  options: { secret?: string; store?: SecretStore; force?: boolean; now?: Date } = {},
): Promise<SavedProfile> {
  assertProfileName(input.name);
  if (options.secret !== undefined) assertSecretText(options.secret);
  return updateProfiles(home, async (data) => {
    const existing = data.profiles[input.name];
    const replaced = existing ? toProfile(input.name, existing, data) : undefined;
    if (replaced && options.force !== true) throw profileExistsError(replaced);
    const location = options.secret === undefined ? "none" : (options.store?.location ?? "none");
    if (options.secret !== undefined) {
      if (!options.store) throw new Error("saveProfile: a secret needs a store");
      await options.store.set(input.name, options.secret);
    }
    if (replaced && replaced.store !== "none" && replaced.store !== location) {
      await storeAt(replaced.store, home).delete(input.name);
    }
    const now = (options.now ?? new Date()).toISOString();
    data.profiles[input.name] = {
      provider: input.provider,
      kind: input.kind,
      store: location,
      ...(input.region ? { region: input.region } : {}),
      labels: [...(input.labels ?? [])],
      ...(input.home ? { home: input.home } : {}),
      ...(input.url ? { url: input.url } : {}),
      created_at: now,
    };
    if (replaced && replaced.provider !== input.provider) reassignActive(data, replaced.provider);
    const active = data.active[input.provider];
    if (active === undefined || !data.profiles[active]) data.active[input.provider] = input.name;
    const poolSize = Object.values(data.profiles).filter(
      (record) => record.provider === input.provider,
    ).length;
    return { profile: profileIn(data, input.name), replaced, poolSize };
  });
}

/** After a pool lost its active member: the first remaining one by name, or none. */
function reassignActive(data: ProfilesFile, provider: string): string | undefined {
  const current = data.active[provider];
  if (current !== undefined && data.profiles[current]?.provider === provider) return current;
  const next = Object.keys(data.profiles)
    .filter((name) => data.profiles[name]?.provider === provider)
    .sort()[0];
  if (next === undefined) delete data.active[provider];
  else data.active[provider] = next;
  return next;
}

export interface RemovedProfile {
  profile: Profile;
  /** Profiles of the provider left after the removal. */
  remaining: number;
  /** The pool's active profile afterwards, when the removed one was active. */
  newActive: string | undefined;
}

/**
 * Removes a profile: its secret (from the store that holds it), its managed cli-login home and
 * its metadata. When the secret cannot be deleted the metadata stays, so nothing is orphaned.
 */
export async function removeProfile(home: string, name: string): Promise<RemovedProfile> {
  return updateProfiles(home, async (data) => {
    const profile = profileIn(data, name);
    if (profile.store !== "none") await storeAt(profile.store, home).delete(name);
    const managed = cliLoginHome(home, name);
    if (profile.home && resolve(profile.home) === managed && existsSync(managed)) {
      rmSync(managed, { recursive: true, force: true });
    }
    delete data.profiles[name];
    const newActive = profile.active ? reassignActive(data, profile.provider) : undefined;
    const remaining = Object.values(data.profiles).filter(
      (record) => record.provider === profile.provider,
    ).length;
    return { profile, remaining, newActive };
  });
}

/** Makes `name` the active profile of its provider's pool; returns the one it replaced. */
export async function switchProfile(
  home: string,
  name: string,
  now = new Date(),
): Promise<{ profile: Profile; previous: string | undefined }> {
  return updateProfiles(home, (data) => {
    const record = data.profiles[name];
    if (!record) throw noSuchProfile(name, Object.keys(data.profiles));
    const previous = data.active[record.provider];
    data.active[record.provider] = name;
    record.last_used_at = now.toISOString();
    return { profile: profileIn(data, name), previous };
  });
}

/** Records that a profile was used (`auth exec`). */
export async function touchProfile(home: string, name: string, now = new Date()): Promise<void> {
  await updateProfiles(home, (data) => {
    const record = data.profiles[name];
    if (record) record.last_used_at = now.toISOString();
  });
}

/** The profile's secret, from the store that holds it (undefined for cli-login profiles). */
export async function readProfileSecret(
  home: string,
  profile: Pick<Profile, "name" | "store">,
): Promise<string | undefined> {
  if (profile.store === "none") return undefined;
  return storeAt(profile.store, home).get(profile.name);
}
