export { HedgeError, UsageError, isHedgeError } from "@hedge/auth";
export { GatewayError } from "./errors.js";
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

// Canonical model types: what every wire decodes to and every client speaks.
export type {
  CanonicalRequest,
  CanonicalMessage,
  CanonicalTool,
  ContentPart,
  ToolChoice,
  ResponseFormat,
  RequestMetadata,
} from "./canonical/request.js";
export { canonicalRequestSchema } from "./canonical/request.js";
export {
  emptyUsage,
  type CanonicalEvent,
  type CanonicalUsage,
  type CanonicalError,
  type FinishReason,
} from "./canonical/events.js";
export {
  collectResponse,
  collectEvents,
  ResponseCollector,
  type CanonicalResponse,
  type CollectedToolCall,
} from "./canonical/collect.js";
export { codecFor } from "./wire/registry.js";
export type { WireCodec } from "./wire/registry.js";
export { SseParser, formatSseFrame, type SseMessage } from "./wire/sse.js";

// Engine and server.
export {
  GatewayEngine,
  newRequestId,
  type GatewayEngineOptions,
  type EngineEvent,
  type RouteSelectedEvent,
} from "./engine/engine.js";
export {
  configCredentials,
  type Credential,
  type CredentialResolver,
} from "./engine/credentials.js";
export type { Attempt, RoutePlan, ExcludedRoute, RouteInput } from "./engine/route.js";
export type { GatewayObserver, RequestRecord } from "./engine/observer.js";
export { createGatewayServer, type GatewayServerOptions } from "./server/http-server.js";
export { GatewayKeyStore, type GatewayKeyRecord } from "./server/gateway-keys.js";
export { GatewayMetrics } from "./server/metrics.js";
