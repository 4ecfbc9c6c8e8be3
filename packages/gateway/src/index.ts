export {
  PROVIDER_PRESETS,
  GENERIC_PROVIDER_TYPES,
  classifyBaseUrl,
  type ProviderPreset,
  type ProviderClass,
} from "./providers/presets.js";
export {
  gatewayConfigShape,
  gatewayConfigSchema,
  type GatewayConfig,
  durationMs,
  providerConfigSchema,
  policySchema,
  routingSchema,
  priceSchema,
  type ProviderConfig,
  type PolicyConfig,
  type RoutingConfig,
  type GatewayAccount,
} from "./config-schema.js";
export { resolveProviders, resolveProvider, type ResolvedProvider } from "./providers/resolve.js";
export { evaluatePolicy, type PolicyVerdict } from "./routing/policy.js";
export { priceFor, costUsd, type ModelPrice } from "./routing/prices.js";

// The composition root.
export {
  createGateway,
  deliberateProviders,
  openGatewayStore,
  poolCredentials,
  withLoggedInPresets,
  type Gateway,
  type GatewayInputs,
} from "./create-gateway.js";

// Engine and server.
export { GatewayEngine, type GatewayEngineOptions } from "./engine/engine.js";
export { newRequestId } from "./engine/records.js";
export type { Exchange, ExchangeStart, ModelCall, Opened } from "./engine/exchange.js";
export {
  configCredentials,
  type Credential,
  type CredentialResolver,
} from "./engine/credentials.js";
export type {
  Attempt,
  RoutePlan,
  ExcludedRoute,
  RouteInput,
  Caller,
  RouteExplanation,
} from "./engine/route.js";
export type { AttemptLog } from "./engine/attempt-runner.js";
export { addAuthHeaders } from "./engine/upstream.js";

// Routing and shared state.
export {
  listBreakers,
  listCooldowns,
  type HealthInput,
  type RouteCondition,
  type Cooldown,
} from "./routing/health.js";
export {
  clearLoginMarks,
  resetRoutes,
  routeMatcher,
  routesWithState,
  type ListedCooldown,
  type ResetRoute,
} from "./routing/route-state.js";
export type { CooldownScope } from "./routing/refusal-scope.js";
export type { BreakerState } from "./routing/breaker.js";
export type { FailureClass } from "./routing/failure-class.js";
export type { Store, StoreOptions, AuditEntry, AuditQuery, CallStats } from "./store/store.js";
export { openStore, type OpenStoreOptions } from "./store/open-store.js";
export { MemoryStore } from "./store/memory-store.js";
export type { GatewayObserver, RequestRecord } from "./engine/observer.js";
export { createGatewayServer, type GatewayServerOptions } from "./server/http-server.js";
export {
  GatewayKeyStore,
  KEY_SCOPES,
  keyAllows,
  type GatewayKeyRecord,
  type KeyScope,
} from "./server/gateway-keys.js";
export {
  SharedKeyRing,
  publishKey,
  revokedKeyIds,
  sharedKeyRecords,
  unpublishKey,
} from "./server/shared-keys.js";
export {
  createDashboard,
  type Dashboard,
  type DashboardOptions,
} from "./server/dashboard/routes.js";
export type { DashboardLoopsSource } from "./server/dashboard/loops-source.js";
export type * from "./server/dashboard/dashboard-types.js";
export { GatewayMetrics, renderSnapshots, type MetricsSnapshot } from "./server/metrics.js";

// Views of routing state (route explain, usage, status, stats): the embedded client and the
// admin API (`/hedge/v1/*`) answer with them.
export { GatewayAdmin } from "./views/gateway-admin.js";
export { StateViews } from "./views/state-views.js";
export type { StateSources } from "./views/state-sources.js";

// The usage heartbeat: rate-limit snapshots per profile, the switch rule, local accounting.
export {
  UsageMonitor,
  type UsageSettings,
  type UsageRoute,
  type UsageRefusal,
} from "./usage/usage-monitor.js";
export type { UsageWindow, UsageSnapshot } from "./usage/snapshot.js";
export { readSwitches, type ProfileSwitch } from "./usage/switch-log.js";
export {
  usageReport,
  type ProfileUsage,
  type ReportProfile,
  type ReportWindow,
} from "./usage/usage-report.js";
export { Heartbeat, describeSwitch, type HeartbeatOptions } from "./usage/heartbeat.js";
export { RoutesUnavailableError } from "./engine/unavailable.js";
export { sleepUnlessAborted } from "./engine/cancellation.js";
export { usageSchema } from "./config-schema.js";
