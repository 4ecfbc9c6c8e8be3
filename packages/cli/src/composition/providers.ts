import { closest, distance } from "fastest-levenshtein";
import {
  CLI_LOGIN_VENDORS,
  GATEWAY_PROVIDER,
  listProfiles,
  type Profile,
  type ProfileKind,
} from "@hedge/auth";
import { UsageError } from "@hedge/model-spec";
import {
  PROVIDER_PRESETS,
  addAuthHeaders,
  evaluatePolicy,
  resolveProvider,
  resolveProviders,
  type PolicyConfig,
  type PolicyVerdict,
  type ProviderConfig,
  type ResolvedProvider,
} from "@hedge/gateway";
import type { WireFormat } from "@hedge/model-spec";
import type { CommandContext } from "../command-context.js";
import { deliberateProviders, withLoggedInPresets } from "./engine-factory.js";

// The gateway's providers as the CLI's commands see them (login, doctor, tool guards): presets,
// `[providers.X]` tables, logins and policy, resolved here in the composition root.

export type { ResolvedProvider };
export { identityVariables } from "./identity-variables.js";

/** Every provider a profile may be for: gateway presets, configured providers, vendor CLIs. */
export function knownProviders(providers: Readonly<Record<string, ProviderConfig>>): string[] {
  return [
    ...new Set([
      ...Object.keys(PROVIDER_PRESETS),
      ...Object.keys(providers),
      ...Object.keys(CLI_LOGIN_VENDORS),
      GATEWAY_PROVIDER,
    ]),
  ];
}

/** The kind of profile a provider takes. */
export function kindOf(provider: string): ProfileKind {
  if (CLI_LOGIN_VENDORS[provider]) return "cli-login";
  if (provider === GATEWAY_PROVIDER) return "gateway";
  return "api-key";
}

/** Throws a one-line usage error naming the nearest provider when `provider` is unknown. */
export function assertKnownProvider(provider: string, known: readonly string[]): void {
  if (known.includes(provider)) return;
  const nearest = closest(provider, [...known]);
  const close = distance(provider, nearest) <= Math.max(2, Math.floor(provider.length / 3));
  throw new UsageError(
    `unknown provider "${provider}"${close ? ` (did you mean ${nearest}?)` : ""}`,
    {
      code: "provider_unknown",
      hint: `providers: ${known.join(", ")}`,
    },
  );
}

/** The gateway's view of a provider (preset merged with its `[providers.X]` table), if any. */
export function gatewayProvider(
  provider: string,
  providers: Readonly<Record<string, ProviderConfig>>,
): ResolvedProvider | undefined {
  const table = providers[provider];
  if (!table && !PROVIDER_PRESETS[provider]) return undefined;
  return resolveProvider(provider, table ?? {});
}

/** The variable holding a provider's key (its `api_key_env`, else the preset's). */
export function keyEnvOf(
  provider: string,
  providers: Readonly<Record<string, ProviderConfig>>,
): string | undefined {
  return providers[provider]?.api_key_env ?? PROVIDER_PRESETS[provider]?.keyEnv;
}

/**
 * The one line saying how a login (or logout) changed what policy allows, or undefined when it
 * changed nothing worth saying. Logging in to a hosted provider deliberately configures it.
 */
export function policyChangeLine(
  context: CommandContext,
  provider: string,
  before: readonly Profile[],
  region: string | undefined,
  event: "login" | "logout",
): string | undefined {
  const resolved = gatewayProvider(provider, context.loaded.config.providers);
  if (!resolved || resolved.providerClass !== "hosted") return undefined;
  const policy = context.loaded.config.policy;
  const regionOf = region ?? resolved.region;
  const describe = `${provider} (hosted, ${regionOf})`;
  const was = evaluatePolicy(resolved, policy, {
    deliberate: deliberateProviders(before),
    region: regionOf,
  });
  const now = evaluatePolicy(resolved, policy, {
    deliberate: deliberateProviders(listProfiles(context.home)),
    region: regionOf,
  });
  if (event === "logout") {
    return !now.allowed && was.allowed
      ? `${describe} is no longer allowed (no profile left)`
      : undefined;
  }
  if (now.allowed) return was.allowed ? undefined : `${describe} is now allowed`;
  return `${describe} stays denied: ${now.rule}`;
}

/** Every provider routing would use: `[providers.*]` plus the presets logged in to. */
export function configuredProviders(
  providers: Readonly<Record<string, ProviderConfig>>,
  profiles: readonly Profile[],
): ResolvedProvider[] {
  return resolveProviders(withLoggedInPresets(providers, deliberateProviders(profiles)));
}

/** Whether policy lets requests reach `provider`, given who is logged in. */
export function policyVerdict(
  provider: ResolvedProvider,
  policy: PolicyConfig,
  profiles: readonly Profile[],
): PolicyVerdict {
  return evaluatePolicy(provider, policy, { deliberate: deliberateProviders(profiles) });
}

/** The headers a provider of `wire` expects a key in (`Authorization`, `x-api-key`...). */
export function authHeaders(wire: WireFormat, secret: string): Record<string, string> {
  const headers: Record<string, string> = {};
  addAuthHeaders(headers, wire, secret);
  return headers;
}
