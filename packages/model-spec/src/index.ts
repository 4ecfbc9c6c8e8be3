// The canonical model vocabulary every hedge package speaks: what each wire decodes to, what
// ModelClient streams, and the error hierarchy. Depends on zod only, so a remote-mode process
// can use it without loading the gateway.

// Canonical request: messages, content parts, tools (zod schemas and their types).
export {
  imageSourceSchema,
  textPartSchema,
  imagePartSchema,
  toolCallPartSchema,
  toolResultPartSchema,
  reasoningPartSchema,
  contentPartSchema,
  messageRoleSchema,
  canonicalMessageSchema,
  canonicalToolSchema,
  toolChoiceSchema,
  responseFormatSchema,
  reasoningEffortSchema,
  reasoningConfigSchema,
  requestMetadataSchema,
  canonicalRequestSchema,
  NAMESPACE_SEPARATOR,
  namespacedToolNames,
  type ImageSource,
  type TextPart,
  type ImagePart,
  type ToolCallPart,
  type ToolResultPart,
  type ReasoningPart,
  type ContentPart,
  type MessageRole,
  type CanonicalMessage,
  type CanonicalTool,
  type ToolChoice,
  type ResponseFormat,
  type ReasoningEffort,
  type ReasoningConfig,
  type RequestMetadata,
  type CanonicalRequest,
} from "./request.js";

// Canonical stream events and the collectors that turn a stream into one response.
export {
  emptyUsage,
  type CanonicalEvent,
  type CanonicalEventType,
  type CanonicalUsage,
  type CanonicalError,
  type FinishReason,
} from "./events.js";
export {
  ResponseCollector,
  collectResponse,
  collectEvents,
  type CanonicalResponse,
  type CollectedToolCall,
  type CollectedReasoning,
} from "./collect.js";
export type { RouteSelectedEvent, ModelEvent } from "./route-event.js";
export type { WireFormat } from "./wire-format.js";

// Errors.
export { HedgeError, UsageError, isHedgeError } from "./errors.js";
export { GatewayError } from "./gateway-error.js";

// Formatting shared by the views' renderers and the gateway's messages.
export { formatWait } from "./format-wait.js";

// JSON views of routing state: what ModelClient's explain/usage/status/stats answer, the same
// in-process and over hedge's admin API (`/hedge/v1/*`), where the remote client parses them.
export {
  routeQuerySchema,
  explainedRouteSchema,
  ruledOutRouteSchema,
  routeExplanationViewSchema,
  type RouteQuery,
  type ExplainedRoute,
  type RuledOutRoute,
  type RouteExplanationView,
} from "./views/route-explanation.js";
export {
  verdictKindSchema,
  verdictRecordSchema,
  type VerdictKind,
  type VerdictRecord,
} from "./views/verdict.js";
export {
  usageWindowViewSchema,
  profileUsageViewSchema,
  usageReportViewSchema,
  poolUsageViewSchema,
  type UsageWindowView,
  type ProfileUsageView,
  type PoolUsageView,
  type UsageReportView,
} from "./views/usage-report.js";
export {
  breakerViewSchema,
  cooldownViewSchema,
  recentErrorViewSchema,
  gatewayStatusViewSchema,
  statusQuerySchema,
  type BreakerView,
  type CooldownView,
  type RecentErrorView,
  type GatewayStatusView,
  type StatusQuery,
} from "./views/gateway-status.js";
export {
  STATS_GROUPINGS,
  statsGroupingSchema,
  statsQuerySchema,
  statsRowSchema,
  statsViewSchema,
  type StatsGrouping,
  type StatsQuery,
  type StatsRow,
  type StatsView,
} from "./views/stats.js";
export { tokenCountViewSchema, type TokenCountView } from "./views/token-count.js";
export {
  ADMIN_API_HEADER,
  ADMIN_API_PREFIX,
  ADMIN_API_VERSION,
  adminErrorBodySchema,
  type AdminErrorBody,
} from "./views/admin-error.js";
