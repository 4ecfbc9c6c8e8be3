export {
  coreConfigShape,
  rolesSchema,
  qaSchema,
  sandboxSchema,
  shellEnvironmentPolicySchema,
  sandboxModeSchema,
  approvalPolicySchema,
  turnRuleSchema,
  type TurnRule,
} from "./config-schema.js";
export {
  agentEventSchema,
  codexEventSchema,
  turnUsageSchema,
  deliveryViaSchema,
  isCodexEvent,
  isTransientEvent,
  emptyTurnUsage,
  type AgentEvent,
  type AgentEventType,
  type CodexEvent,
  type DeliveryVia,
  type TurnUsage,
} from "./agent/events.js";
export {
  threadItemSchema,
  type ThreadItem,
  type AgentMessageItem,
  type AsideItem,
  type CommandExecutionItem,
  type FileChangeItem,
  type TodoListItem,
  type RouteDecisionItem,
  type QaVerdictItem,
  type ProfileSwitchItem,
} from "./agent/items.js";
export {
  runSteps,
  REQUEST_HELP_TOOL,
  type PhaseContext,
  type PhaseOutcome,
  type StepSettings,
} from "./agent/run-steps.js";
export {
  runRoleTurn,
  type TurnInput,
  type RoleTurnContext,
  type Roles,
  type RoleModel,
  type QaRequest,
  type QaSettings,
} from "./roles/pipeline.js";
export {
  decideTurn,
  TURN_STRATEGIES,
  type TurnDecision,
  type TurnMode,
  type TurnStrategy,
} from "./roles/turn-router.js";
export type { ToolHost, ToolCallRequest, ToolCallOutcome } from "./agent/tool-host.js";
export { estimateTokens, type CompactionSettings } from "./agent/compaction.js";
export {
  SessionFile,
  findSession,
  repairHistory,
  type SessionMeta,
  type SessionRecord,
} from "./session/session-file.js";
export {
  loadProjectInstructions,
  gitRoot,
  holdsRepository,
  AGENTS_MD_LIMIT,
  type ProjectInstructions,
} from "./instructions/agents-md.js";
export { BASE_INSTRUCTIONS, composeInstructions } from "./instructions/base-instructions.js";
export { createToolHost, type ToolHostOptions } from "./tools/host.js";
export { findHiddenRoot, resolveDenyRead, DEFAULT_DENY_READ } from "./tools/read-guard.js";
export { REDACTED, MIN_SECRET_LENGTH } from "./tools/redact.js";
export type { ShellEnvironmentPolicy } from "./tools/tool-environment.js";
export {
  defineTool,
  toolError,
  type Tool,
  type ToolContext,
  type ToolResult,
  type ToolFailure,
  type ToolMetadata,
  type SandboxMode,
  type ApprovalPolicy,
} from "./tools/tool.js";
export { ToolRegistry, toModelJsonSchema, type ToolDefinition } from "./tools/registry.js";
export {
  createDefaultTools,
  createDefaultToolRegistry,
  createPlanningToolRegistry,
  createToolsetRegistry,
  type Toolset as ToolsetName,
} from "./tools/default-tools.js";
export { jsTool } from "./tools/js.js";
export { denyAllApprovals } from "./tools/approval.js";
export {
  approvalRequestSchema,
  approvalAnswerSchema,
  isApproved,
  type ApprovalRequest,
  type ApprovalAnswer,
} from "./tools/approval-schema.js";
export { buildSandboxedCommand } from "./sandbox/build-command.js";
export { SandboxUnavailableError, findBwrap, ensureBwrapWorks } from "./sandbox/bwrap.js";
export {
  chooseByEvals,
  classifyPrompt,
  evalRoutingConfigShape,
  type EvalChoice,
  type EvalRouting,
  type EvalRoutingRow,
  type EvalRoutingTable,
} from "./roles/eval-route.js";
export {
  resolveRoles,
  ROLE_DEFAULTS,
  ROLE_NAMES,
  type RoleName,
  type RoleModelSources,
} from "./roles/role-models.js";
export {
  runQa,
  buildQaRequest,
  REPORT_VERDICT_TOOL,
  type QaInput,
  type QaDeps,
  type QaRoute,
  type QaResult,
  type QaResult as QaRunResult,
} from "./qa/verifier.js";
export { qaVerdictSchema, type QaVerdict } from "./qa/verdict.js";
export {
  snapshotWorktree,
  changesSince,
  changesAgainstHead,
  type ChangedFile,
  type ChangeSet,
} from "./qa/changes.js";
export {
  git,
  repoGit,
  GitCommandError,
  type GitOptions,
  type GitOutput,
  type RepoGit,
} from "./git/run-git.js";
export { Thread } from "./thread/thread.js";
export type {
  ThreadDeps,
  ThreadState,
  RoleState,
  RunInput,
  InputOptions,
  StartedRun,
} from "./thread/thread-types.js";
export {
  resolveThreadSettings,
  type ThreadConfig,
  type ThreadFlags,
  type ThreadSettings,
  type ToolGuard,
} from "./thread/settings.js";
export type {
  InputStore,
  InputKind,
  InputState,
  PendingInput,
  NewInput,
  ComposerDraft,
  OpenedInputs,
} from "./thread/input-store.js";
export { MemoryInputStore } from "./thread/memory-input-store.js";
export { SqliteInputStore } from "./thread/sqlite-input-store.js";
export type { ApprovalMode } from "./thread/approval-broker.js";
export { DEFAULT_CONTEXT_WINDOW, checkPromptFits } from "./thread/prompt-fit.js";
export { createQaVerifier } from "./qa/turn-verifier.js";
export type { CoreConfig } from "./config-schema.js";
export {
  mcpServerConfigSchema,
  mcpServersSchema,
  mcpSettingsSchema,
  MCP_SERVER_NAME,
  type McpServerConfig,
  type McpSettings,
  type ToolApprovalMode,
} from "./mcp/config-schema.js";
export { createMcpManager } from "./mcp/start.js";
export { McpRequiredServerError } from "./mcp/errors.js";
export type {
  McpServerManager,
  McpServerState,
  McpToolInfo,
  McpStartReport,
  McpManagerDeps,
} from "./mcp/server-manager.js";
export {
  mcpStatus,
  type McpStatus,
  type McpServerCost,
  type McpStatusOptions,
} from "./mcp/status.js";
export { mcpToolSpec } from "./mcp/mcp-tool-host.js";
export { ThreadMcp } from "./mcp/thread-mcp.js";
export { resolveBudget } from "./mcp/lazy-plan.js";
export type { McpToolCallItem } from "./agent/items.js";
export { loadTokenizer, type Tokenizer } from "./mcp/tokens.js";
