import {
  assertSecretText,
  listProfiles,
  readProfileSecret,
  saveProfile,
  selectSecretStore,
  type Profile,
  type SecretStore,
} from "@hedge/auth";
import { isHedgeError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { IMPORTABLE_VARIABLES } from "../composition/identity-variables.js";
import { policyChangeLine } from "../composition/providers.js";

interface Imported {
  variable: string;
  provider: string;
  profile: string;
  store: string;
}

/**
 * `hedge auth import --from-env`: one api-key profile per set variable, named after the provider
 * (or `provider-2`, ... when taken). A key already held by a profile of that name is skipped.
 */
export async function runAuthImport(
  globals: GlobalOptions,
  options: { json: boolean },
): Promise<void> {
  const context = commandContext(globals);
  const before = listProfiles(context.home);
  const imported: Imported[] = [];
  const skipped: { variable: string; reason: string }[] = [];
  const changes: string[] = [];
  let store: SecretStore | undefined;
  for (const [variable, provider] of IMPORTABLE_VARIABLES) {
    const secret = process.env[variable]?.trim();
    if (!secret) continue;
    try {
      assertSecretText(secret, `key in $${variable}`);
    } catch (error) {
      // One bad variable is skipped with its reason; the others are still imported.
      if (!isHedgeError(error)) throw error;
      skipped.push({ variable, reason: error.message });
      continue;
    }
    const current = listProfiles(context.home);
    const name = await freeName(context.home, current, provider, secret);
    if (name === undefined) {
      skipped.push({ variable, reason: `already imported (profile ${provider})` });
      continue;
    }
    store ??= await selectSecretStore(context.loaded.config.credentials_store, context.home, {
      warn: (line) => process.stderr.write(`hedge: ${line}\n`),
    });
    const saved = await saveProfile(
      context.home,
      { name, provider, kind: "api-key" },
      { secret, store },
    );
    imported.push({ variable, provider, profile: name, store: saved.profile.store });
    const change = policyChangeLine(context, provider, before, undefined, "login");
    if (change && !changes.includes(change)) changes.push(change);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ imported, skipped }, null, 2)}\n`);
    return;
  }
  const lines = imported.map(
    (entry) =>
      `imported ${entry.variable} -> profile ${entry.profile} (${entry.provider}, ${entry.store} store)`,
  );
  lines.push(...skipped.map((entry) => `skipped ${entry.variable}: ${entry.reason}`));
  lines.push(...changes);
  if (imported.length === 0 && skipped.length === 0) {
    lines.push(
      `no key variables set (looked for ${IMPORTABLE_VARIABLES.map(([variable]) => variable).join(", ")})`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** `provider`, else `provider-2`, ...; undefined when a profile of that provider has this key. */
async function freeName(
  home: string,
  profiles: readonly Profile[],
  provider: string,
  secret: string,
): Promise<string | undefined> {
  const taken = new Set(profiles.map((profile) => profile.name));
  for (const profile of profiles) {
    if (profile.provider !== provider || profile.kind !== "api-key") continue;
    if (profile.name !== provider && !profile.name.startsWith(`${provider}-`)) continue;
    const held = await readProfileSecret(home, profile).catch(() => undefined);
    if (held === secret) return undefined;
  }
  if (!taken.has(provider)) return provider;
  for (let index = 2; ; index += 1) {
    if (!taken.has(`${provider}-${index}`)) return `${provider}-${index}`;
  }
}
