/**
 * The only module that imports `@modelcontextprotocol/sdk` (pinned): moving to the v2 split
 * packages (`@modelcontextprotocol/client`) changes this file alone.
 */
export { Client } from "@modelcontextprotocol/sdk/client/index.js";
export { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
export { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
export type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
export {
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type JSONRPCMessage,
  type Tool as SdkTool,
  type ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
