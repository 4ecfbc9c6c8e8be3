import { changesSince, runQa, snapshotWorktree, type QaRequest, type QaResult } from "@hedge/core";
import type { ModelClient } from "@hedge/gateway-client";

/**
 * The QA verifier of an exec turn: snapshots the worktree now (turn start), and on each answer
 * gives the QA model exactly the prompt, the last agent message, the files changed since the
 * snapshot (bounded diffs) and the plan.
 */
export async function createQaVerifier(options: {
  client: ModelClient;
  model: string;
  profiles?: readonly string[];
  repo: string | undefined;
  budgetTokens: number;
  sessionId: string;
  turnId: string;
}): Promise<(request: QaRequest, signal: AbortSignal) => Promise<QaResult>> {
  const snapshot = options.repo
    ? await snapshotWorktree(options.repo).catch(() => undefined)
    : undefined;
  return async (request, signal) => {
    const changed =
      options.repo && snapshot
        ? await changesSince(options.repo, snapshot, { budgetTokens: options.budgetTokens })
        : { changes: [] };
    return runQa(
      {
        prompt: request.prompt,
        lastMessage: request.lastMessage,
        changes: changed.changes,
        ...(changed.note ? { note: changed.note } : {}),
        plan: request.plan.map((step) => ({
          step: step.text,
          status: step.completed ? ("completed" as const) : ("pending" as const),
        })),
      },
      {
        client: options.client,
        model: options.model,
        signal,
        sessionId: options.sessionId,
        ...(options.profiles ? { profiles: options.profiles } : {}),
      },
    );
  };
}
