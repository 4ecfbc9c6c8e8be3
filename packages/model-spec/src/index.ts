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
