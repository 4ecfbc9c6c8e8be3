export { HedgeError, UsageError, isHedgeError } from "@hedge/auth";
export {
  PROVIDER_PRESETS,
  GENERIC_PROVIDER_TYPES,
  classifyBaseUrl,
  type ProviderPreset,
  type ProviderClass,
  type WireFormat,
} from "./providers/presets.js";
export {
  gatewayConfigShape,
  providerConfigSchema,
  policySchema,
  priceSchema,
  type ProviderConfig,
  type PolicyConfig,
} from "./config-schema.js";
export { resolveProviders, resolveProvider, type ResolvedProvider } from "./providers/resolve.js";
export { evaluatePolicy, type PolicyVerdict } from "./routing/policy.js";
