import { CLI_LOGIN_VENDORS } from "./cli-login.js";
import { HedgeError } from "@hedge/model-spec";
import type { Profile } from "./profile-schema.js";
import { VENDOR_IDENTITY_VARIABLES } from "./vendor-identity.js";

/**
 * The variables a profile contributes to a command's environment: the provider's key variable
 * (api-key), `OPENAI_BASE_URL` + `OPENAI_API_KEY` (gateway) or the vendor CLI's home variable
 * (cli-login).
 */
export function profileVariables(
  profile: Pick<Profile, "name" | "provider" | "kind" | "home" | "url">,
  secret: string | undefined,
  keyEnvOf: (provider: string) => string | undefined,
): Record<string, string> {
  if (profile.kind === "cli-login") {
    const vendor = CLI_LOGIN_VENDORS[profile.provider];
    if (!vendor || !profile.home) throw broken(profile.name, "has no vendor CLI home");
    return { [vendor.homeEnv]: profile.home };
  }
  if (secret === undefined) throw broken(profile.name, "has no secret in its store");
  if (profile.kind === "gateway") {
    if (!profile.url) throw broken(profile.name, "has no gateway URL");
    return { OPENAI_BASE_URL: profile.url, OPENAI_API_KEY: secret };
  }
  const keyEnv = keyEnvOf(profile.provider);
  if (!keyEnv) {
    throw new HedgeError(
      "profile_no_key_variable",
      `provider "${profile.provider}" has no key variable to set`,
      { hint: `set api_key_env in [providers.${profile.provider}]` },
    );
  }
  return { [keyEnv]: secret };
}

/**
 * The environment for `hedge auth exec`: the parent's, without any variable that could carry
 * another identity (every vendor's documented identity variables, every provider key variable
 * and `identityVariables` the caller knows of, vendor CLI homes), plus exactly this profile's
 * variables.
 */
export function execEnvironment(
  parent: NodeJS.ProcessEnv,
  variables: Readonly<Record<string, string>>,
  identityVariables: Iterable<string>,
): Record<string, string> {
  const removed = new Set<string>([
    ...identityVariables,
    ...Object.values(CLI_LOGIN_VENDORS).map((vendor) => vendor.homeEnv),
    ...Object.values(VENDOR_IDENTITY_VARIABLES).flat(),
  ]);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value !== undefined && !removed.has(key)) env[key] = value;
  }
  return { ...env, ...variables };
}

function broken(name: string, what: string): HedgeError {
  return new HedgeError("profile_incomplete", `profile "${name}" ${what}`, {
    hint: `log in again: hedge auth login --profile ${name} --force ...`,
  });
}
