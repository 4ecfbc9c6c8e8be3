import type { PolicyConfig } from "../config-schema.js";
import type { ResolvedProvider } from "../providers/resolve.js";

/**
 * Whether policy allows a provider, and if not, the rule that denies it; `regional` marks a
 * denial by region only, which another region (a profile's) may not share.
 */
export type PolicyVerdict = { allowed: true } | { allowed: false; rule: string; regional: boolean };

export interface PolicyContext {
  /**
   * Providers deliberately configured by logging in (they have at least one profile): a hosted
   * one is allowed even when `allow_classes` lists only `local`. Regions and denials still apply.
   */
  deliberate?: ReadonlySet<string>;
  /** The route's region when a profile narrows it (default: the provider's region). */
  region?: string;
}

/**
 * Fails closed: a provider is allowed only when its class is listed (or, for a hosted one, it was
 * deliberately configured), its region is listed (when regions are restricted; local providers
 * have no region to restrict) and it is not denied.
 */
export function evaluatePolicy(
  provider: ResolvedProvider,
  policy: PolicyConfig,
  context: PolicyContext = {},
): PolicyVerdict {
  if (!provider.enabled)
    return { allowed: false, regional: false, rule: `providers.${provider.id}.enabled = false` };
  if (policy.deny_providers.includes(provider.id)) {
    return {
      allowed: false,
      regional: false,
      rule: `policy.deny_providers includes "${provider.id}"`,
    };
  }
  const deliberate = provider.providerClass === "hosted" && context.deliberate?.has(provider.id);
  if (!policy.allow_classes.includes(provider.providerClass) && deliberate !== true) {
    return {
      allowed: false,
      regional: false,
      rule: `policy.allow_classes = ${JSON.stringify(policy.allow_classes)} excludes ${provider.providerClass} provider "${provider.id}"`,
    };
  }
  const region = context.region ?? provider.region;
  if (
    provider.providerClass === "hosted" &&
    policy.allow_regions !== undefined &&
    !policy.allow_regions.includes(region)
  ) {
    return {
      allowed: false,
      regional: true,
      rule: `policy.allow_regions = ${JSON.stringify(policy.allow_regions)} excludes region "${region}" of "${provider.id}"`,
    };
  }
  return { allowed: true };
}
