export type { ModelClient, ModelEvent, ModelRequest, StreamOptions } from "./model-client.js";
export { EmbeddedModelClient } from "./embedded.js";
export { RemoteModelClient, type RemoteClientOptions } from "./remote.js";
export { createModelClient, type ModelClientOptions } from "./create.js";
export {
  HedgeError,
  UsageError,
  isHedgeError,
  GatewayError,
  collectResponse,
  ResponseCollector,
  type CanonicalEvent,
  type CanonicalResponse,
  type ContentPart,
  type ResponseFormat,
  type RequestMetadata,
  type CanonicalUsage,
  type CanonicalRequest,
  type CanonicalMessage,
  type CanonicalTool,
  type FinishReason,
} from "@hedge/gateway";
