// What the interactive session needs once its first frame is on screen, in one module that
// run-tui imports dynamically: core, the config's zod schemas, the model connection and MCP are
// most of hedge's start-up cost, and the composer needs none of them to show and take keys.
export { findSession, resolveThreadSettings, SqliteInputStore } from "@hedge/core";
export { loadEvalRouting } from "@hedge/evals";
export { commandContext } from "../command-context.js";
export { wireSerializer } from "../commands/mcp-wire.js";
export { fireSessionHooks } from "../commands/session-hooks.js";
export { connectClient } from "../composition/connect.js";
export { startMcpServers } from "../mcp-servers.js";
export { toolGuardOptions } from "../tool-guard.js";
export { replaySession } from "./runtime/session-replay.js";
export { createShellRunner } from "./runtime/shell-command.js";
export { recentSessions } from "./runtime/session-list.js";
export { createSlashHandler } from "./runtime/slash-handlers.js";
export { terminalSize, ThreadHost } from "./runtime/thread-host.js";
