import type { CanonicalUsage } from "@hedge/model-spec";
import type { ModelClient } from "@hedge/gateway-client";
import type { AgentEvent } from "../agent/events.js";
import type { ToolHost } from "../agent/tool-host.js";
import { createQaVerifier } from "../qa/turn-verifier.js";
import type { RoleTurnContext } from "../roles/pipeline.js";
import type { TurnDecision } from "../roles/turn-router.js";
import type { SessionFile } from "../session/session-file.js";
import type { ThreadSettings } from "./settings.js";

/** What one turn of a thread is given besides its settings. */
export interface TurnParts {
  client: ModelClient;
  instructions: string;
  tools: ToolHost;
  orchestratorTools: ToolHost;
  session: SessionFile;
  signal: AbortSignal;
  decision: TurnDecision;
  turnId: string;
  nextItemId: () => string;
  deliverSteers: () => AgentEvent[];
  onModelUsage: (role: string, usage: CanonicalUsage) => void;
  /** What the QA role does now (its checks run outside the agent loop's steps). */
  qaActivity: (phase: "checking" | "idle", action?: string) => void;
}

/**
 * The context of one role turn: the settings' limits, and a QA verifier that snapshots the
 * worktree now (the turn's start) and records its verdicts through the ModelClient.
 */
export async function roleTurnContext(
  settings: ThreadSettings,
  parts: TurnParts,
): Promise<RoleTurnContext> {
  const { roles, qa } = settings;
  const { client, turnId } = parts;
  const verify = qa
    ? await createQaVerifier({
        client,
        model: roles.qa.model,
        ...(roles.qa.profiles ? { profiles: roles.qa.profiles } : {}),
        repo: settings.repo,
        budgetTokens: qa.diffBudgetTokens,
        sessionId: parts.session.id,
        turnId,
        onCheck: (files) =>
          parts.qaActivity("checking", `checking ${files} changed file${files === 1 ? "" : "s"}`),
      })
    : undefined;
  return {
    client,
    roles,
    decision: parts.decision,
    instructions: parts.instructions,
    tools: parts.tools,
    orchestratorTools: parts.orchestratorTools,
    session: parts.session,
    signal: parts.signal,
    maxSteps: settings.maxSteps,
    compaction: { contextWindow: settings.contextWindow, threshold: settings.compactThreshold },
    ...(settings.outputSchema ? { outputSchema: settings.outputSchema } : {}),
    ...(settings.reasoningEffort ? { reasoningEffort: settings.reasoningEffort } : {}),
    nextItemId: parts.nextItemId,
    turnId,
    escalateAfter: settings.escalateAfter,
    maxEscalations: settings.maxEscalations,
    ...(verify && qa
      ? {
          qa: {
            maxRounds: qa.maxRounds,
            onError: qa.onError,
            verify: (request, signal) =>
              verify(request, signal).finally(() => parts.qaActivity("idle")),
          },
        }
      : {}),
    // A verdict that cannot be recorded costs the statistics, never the turn.
    onVerdict: (verdict) =>
      client
        .recordVerdict({ session: parts.session.id, turn: turnId, model: roles.qa.model, verdict })
        .catch(() => undefined),
    deliverSteers: parts.deliverSteers,
    onModelUsage: parts.onModelUsage,
  };
}
