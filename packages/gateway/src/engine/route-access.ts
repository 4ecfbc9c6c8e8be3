import { createHash } from "node:crypto";
import type { GatewayAccount } from "../config-schema.js";
import type { ResolvedProvider } from "../providers/resolve.js";
import { evaluatePolicy, type PolicyVerdict } from "../routing/policy.js";
import type { Credential, CredentialResolver } from "./credentials.js";
import type { Caller, RouterDeps } from "./route.js";

/**
 * Global policy, then the account's narrower lists: an account can only take away. `region` is
 * the route's (a profile's region, else the provider's).
 */
export function allowed(
  provider: ResolvedProvider,
  deps: Pick<RouterDeps, "policy" | "deliberate">,
  account: GatewayAccount | undefined,
  accountName: string | undefined,
  region: string,
): PolicyVerdict {
  const verdict = evaluatePolicy(provider, deps.policy, {
    region,
    ...(deps.deliberate ? { deliberate: deps.deliberate } : {}),
  });
  if (!verdict.allowed || !account) return verdict;
  const where = `gateway.accounts.${accountName ?? "?"}`;
  if (account.allow_classes && !account.allow_classes.includes(provider.providerClass)) {
    return {
      allowed: false,
      regional: false,
      rule: `${where}.allow_classes = ${JSON.stringify(account.allow_classes)} excludes ${provider.providerClass} provider "${provider.id}"`,
    };
  }
  if (
    provider.providerClass === "hosted" &&
    account.allow_regions &&
    !account.allow_regions.includes(region)
  ) {
    return {
      allowed: false,
      regional: true,
      rule: `${where}.allow_regions = ${JSON.stringify(account.allow_regions)} excludes region "${region}" of "${provider.id}"`,
    };
  }
  return { allowed: true };
}

export function credentialsFor(
  provider: ResolvedProvider,
  caller: Caller | undefined,
  resolver: CredentialResolver,
): Credential[] {
  const own = caller?.byok?.get(provider.id);
  const byok: Credential[] = own
    ? [
        {
          id: `byok:${createHash("sha256").update(own).digest("hex").slice(0, 8)}`,
          source: "caller",
          secret: own,
        },
      ]
    : [];
  const account = caller?.accountConfig;
  const managed = account?.managed === false ? [] : resolver.credentialsFor(provider);
  return account?.prefer === "managed" ? [...managed, ...byok] : [...byok, ...managed];
}
