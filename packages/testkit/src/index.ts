export {
  startScriptedUpstream,
  type ScriptedUpstream,
  type ScriptedUpstreamOptions,
  type RecordedRequest,
} from "./server.js";
export {
  parseScript,
  parseReply,
  loadScriptFile,
  ScriptValidationError,
  type Script,
  type ScriptReply,
  type ScriptMatch,
  type ScriptToolCall,
  type ScriptUsage,
  type ScriptErrorSpec,
  type ScriptStreamError,
  type Endpoint,
  type StopReason,
  type JsonValue,
} from "./script.js";
export { type Responder, type ScriptedRequest } from "./responder.js";
export {
  type ConversationEntry,
  type ConversationToolCall,
  type ConversationToolResult,
} from "./conversation.js";
export { errorReply, rateLimitedReply } from "./reply-helpers.js";
export {
  openAiErrorBody,
  anthropicErrorBody,
  providerRefusals,
  type ProviderRefusal,
  type OpenAiErrorBody,
  type AnthropicErrorBody,
} from "./provider-errors.js";
export {
  openAiRateLimitHeaders,
  anthropicRateLimitHeaders,
  codexRateLimitHeaders,
  formatOpenAiDuration,
  type OpenAiLimit,
  type AnthropicLimit,
  type AnthropicUnifiedLimit,
  type CodexWindow,
} from "./rate-limit-headers.js";
export { makeTempDir, makeTempHome, type TempDir, type TempHome } from "./temp.js";
export { startRedisServer, type RedisServer } from "./redis-server.js";
export { freePort } from "./free-port.js";
export { TmuxTerminal, type TmuxStart } from "./tmux-terminal.js";
