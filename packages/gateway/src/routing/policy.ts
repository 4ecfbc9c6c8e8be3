import type { PolicyConfig } from "../config-schema.js";
import type { ResolvedProvider } from "../providers/resolve.js";

/** Whether policy allows a provider, and if not, the rule that denies it. */
export type PolicyVerdict = { allowed: true } | { allowed: false; rule: string };

/**
 * Fails closed: a provider is allowed only when its class is listed, its region is listed (when
 * regions are restricted; local providers have no region to restrict) and it is not denied.
 */
export function evaluatePolicy(provider: ResolvedProvider, policy: PolicyConfig): PolicyVerdict {
  if (!provider.enabled)
    return { allowed: false, rule: `providers.${provider.id}.enabled = false` };
  if (policy.deny_providers.includes(provider.id)) {
    return { allowed: false, rule: `policy.deny_providers includes "${provider.id}"` };
  }
  if (!policy.allow_classes.includes(provider.providerClass)) {
    return {
      allowed: false,
      rule: `policy.allow_classes = ${JSON.stringify(policy.allow_classes)} excludes ${provider.providerClass} provider "${provider.id}"`,
    };
  }
  if (
    provider.providerClass === "hosted" &&
    policy.allow_regions !== undefined &&
    !policy.allow_regions.includes(provider.region)
  ) {
    return {
      allowed: false,
      rule: `policy.allow_regions = ${JSON.stringify(policy.allow_regions)} excludes region "${provider.region}" of "${provider.id}"`,
    };
  }
  return { allowed: true };
}
