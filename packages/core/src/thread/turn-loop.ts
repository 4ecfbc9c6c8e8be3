import type { CanonicalUsage, ContentPart } from "@hedge/model-spec";
import type { ModelClient } from "@hedge/gateway-client";
import type { AgentEvent } from "../agent/events.js";
import type { RouteDecisionItem } from "../agent/items.js";
import type { ToolHost } from "../agent/tool-host.js";
import type { ThreadMcp } from "../mcp/thread-mcp.js";
import { runRoleTurn, type Roles } from "../roles/pipeline.js";
import type { SessionFile } from "../session/session-file.js";
import type { InputStore, PendingInput } from "./input-store.js";
import type { ThreadSettings } from "./settings.js";
import { roleTurnContext } from "./turn-context.js";
import { planTurn } from "./turn-plan.js";

/** What the turn loop uses of its thread: its parts, and how it reports and records. */
export interface TurnLoopHost {
  readonly threadId: string;
  readonly client: ModelClient;
  readonly settings: ThreadSettings;
  readonly inputs: InputStore;
  readonly instructions: string;
  readonly tools: ToolHost;
  readonly orchestratorTools: ToolHost;
  readonly mcp: ThreadMcp | undefined;
  /** Images waiting with their inputs, by input id (taken when the input is delivered). */
  readonly images: Map<string, readonly ContentPart[]>;
  /** The route that served each role last. */
  readonly routes: ReadonlyMap<string, RouteDecisionItem>;
  ensureSession(): SessionFile;
  /** Reports the thread's start, once per thread. */
  announce(): void;
  emitNotice(message: string): void;
  /** An event the thread itself reports: written to the session, then passed on. */
  emitRecorded(event: AgentEvent): void;
  /** Passes a turn's event on (routes and usage are noted on the way). */
  forward(event: AgentEvent): void;
  nextItemId(): string;
  nextTurnId(): string;
  modelUsage(role: string, usage: CanonicalUsage): void;
  /** The roles as this turn runs them (the session's pinned profile applied). */
  turnRoles(roles: Roles): Promise<Roles>;
}

/** Turns until no input waits: each is planned, delivered, run; leftover steers go on. */
export async function runTurns(host: TurnLoopHost, signal: AbortSignal): Promise<void> {
  const { inputs, threadId } = host;
  for (;;) {
    const waiting = inputs.open(threadId);
    if (waiting.length === 0 || signal.aborted) return;
    // The pin applies from here: the next model request, never a call already streaming.
    const roles = await host.turnRoles(host.settings.roles);
    const plan = await planTurn(host.client, { ...host.settings, roles }, joinTexts(waiting));
    if (signal.aborted) return;
    const session = host.ensureSession();
    host.announce();
    if (plan.skipped) host.emitNotice(plan.skipped);
    for (const notice of (await host.mcp?.beforeTurn(session.history())) ?? [])
      host.emitNotice(notice);
    if (plan.evalsNote) host.emitNotice(plan.evalsNote);
    const turnId = host.nextTurnId();
    const context = await roleTurnContext(
      { ...host.settings, roles: plan.roles },
      {
        client: host.client,
        instructions: host.instructions,
        tools: host.tools,
        orchestratorTools: host.orchestratorTools,
        session,
        signal,
        decision: plan.decision,
        turnId,
        nextItemId: () => host.nextItemId(),
        deliverSteers: () => deliverSteers(host, turnId),
        onModelUsage: (role, usage) => host.modelUsage(role, usage),
        qaActivity: (phase, action) => qaActivity(host, phase, action),
      },
    );
    if (signal.aborted) return;
    // Delivery: the inputs' state and the session's user message, in one synchronous block.
    const claimed = inputs.claim(threadId, ["queued", "pending_steer"], {
      turn: turnId,
      via: "turn_start",
    });
    if (claimed.length === 0) return;
    const prompt = joinTexts(claimed);
    const images = claimed.flatMap(({ id }) => host.images.get(id) ?? []);
    for (const { id } of claimed) host.images.delete(id);
    session.appendMessage(
      { role: "user", content: [{ type: "text", text: prompt }, ...images] },
      claimed.map(({ id }) => id),
    );
    const delivered: AgentEvent = {
      type: "input.delivered",
      ids: claimed.map(({ id }) => id),
      via: "turn_start",
    };
    let outcome: "completed" | "failed" = "failed";
    const turn = runRoleTurn({ prompt, images: [...images], delivered: true }, context);
    for await (const event of turn) {
      host.forward(event);
      if (event.type === "turn.started") host.emitRecorded(delivered);
      if (event.type === "turn.completed") outcome = "completed";
    }
    if (signal.aborted) return;
    const deferred = inputs.defer(threadId);
    if (deferred.length > 0)
      host.emitRecorded({ type: "input.deferred", ids: deferred.map(({ id }) => id) });
    if (outcome !== "completed") return;
  }
}

/** At a step boundary: waiting steers become one user message of the running turn. */
function deliverSteers(host: TurnLoopHost, turnId: string): AgentEvent[] {
  const claimed = host.inputs.claim(host.threadId, ["pending_steer"], {
    turn: turnId,
    via: "tool_boundary",
  });
  if (claimed.length === 0) return [];
  const ids = claimed.map(({ id }) => id);
  host
    .ensureSession()
    .appendMessage({ role: "user", content: [{ type: "text", text: joinTexts(claimed) }] }, ids);
  // Recorded by the turn, which yields it.
  return [{ type: "input.delivered", ids, via: "tool_boundary" }];
}

/** The QA role's activity (its checks run outside the agent loop's steps). */
function qaActivity(host: TurnLoopHost, phase: "checking" | "idle", action?: string): void {
  host.forward({
    type: "role.activity",
    role: "qa",
    phase,
    model: host.settings.roles.qa.model,
    profile: host.routes.get("qa")?.profile ?? null,
    started_at: Date.now(),
    ...(action === undefined ? {} : { action }),
  });
}

/** Several inputs delivered together become one message, a blank line between them. */
export function joinTexts(inputs: readonly PendingInput[]): string {
  return inputs.map(({ text }) => text).join("\n\n");
}
