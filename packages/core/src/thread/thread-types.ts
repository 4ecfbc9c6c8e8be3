import type { ContentPart } from "@hedge/model-spec";
import type { ModelClient } from "@hedge/gateway-client";
import type { AgentEvent, TurnUsage } from "../agent/events.js";
import type { RouteDecisionItem } from "../agent/items.js";
import type { RoleModel } from "../roles/pipeline.js";
import type { RoleName } from "../roles/role-models.js";
import type { McpServerManager } from "../mcp/server-manager.js";
import type { ApprovalMode } from "./approval-broker.js";
import type { InputStore, PendingInput } from "./input-store.js";

/** What a thread needs besides its settings. */
export interface ThreadDeps {
  client: ModelClient;
  /** The keys the model connection holds (profile keys loaded for routing): redacted too. */
  heldSecrets?: readonly string[];
  /** Continue this session (an id or the most recent); absent: a new one, made at its first turn. */
  resume?: { id?: string; last?: boolean };
  /**
   * Open the resumed session read-only (`hedge ask` beside a running session): no lock, nothing
   * written to its history; asides go to the file beside it. Only `ask` works on such a thread.
   */
  readOnly?: boolean;
  /** Where undelivered inputs wait (default: in memory). */
  inputs?: InputStore;
  /** Who answers approvals (default: `ask` when interactive, else `deny`). */
  approvals?: ApprovalMode;
  /**
   * MCP servers, started by the caller (`startMcpServers`): their tools join the roles that
   * `mcp.roles` allows, and servers that failed to start become a notice at the first turn.
   */
  mcp?: McpServerManager;
}

/** How a composer's input is kept (a TUI's; exec passes neither). */
export interface InputOptions {
  /** The composer's saved form, to restore the input as it was typed (paste atoms, mentions). */
  composer?: string;
  /** Restored inputs this one resubmits (edited into it): they are dealt with, in the same write. */
  supersedes?: readonly string[];
}

/** A turn's input: the prompt, and images to show with it. */
export interface RunInput extends InputOptions {
  prompt: string;
  images?: readonly ContentPart[];
}

/** A turn started on an input: the input as stored (durable before it returns), and the events. */
export interface StartedRun {
  input: PendingInput;
  events: AsyncIterable<AgentEvent>;
}

/** A role's model, and the route that served it last in this thread. */
export interface RoleState extends RoleModel {
  route: Pick<RouteDecisionItem, "provider" | "upstream_model" | "profile" | "reason"> | undefined;
}

/** What a status line shows: usage, context, routes per role, inputs waiting. */
export interface ThreadState {
  sessionId: string;
  running: boolean;
  /** Tokens the session used so far (earlier runs included). */
  usage: TurnUsage;
  /** Dollars, when known (not yet: prices live in the gateway). */
  costUsd: number | null;
  /** How full the model's context window was at the last call, 0-100 (null before any call). */
  contextUsedPct: number | null;
  contextWindow: number;
  roles: Record<RoleName, RoleState>;
  /** The role whose model holds the conversation (it answers `ask`). */
  contextRole: "orchestrator" | "executor";
  /** The session's pinned profile (`--profile`, `/profile`), when one is. */
  pinnedProfile: string | undefined;
  /** Inputs not delivered yet, in order. */
  pending: PendingInput[];
}
