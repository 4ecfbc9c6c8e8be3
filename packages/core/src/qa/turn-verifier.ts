import type { ModelClient } from "@hedge/gateway-client";
import type { QaRequest } from "../roles/pipeline.js";
import { changesSince, snapshotWorktree } from "./changes.js";
import { runQa, type QaResult } from "./verifier.js";

/**
 * The QA verifier of a turn: snapshots the worktree now (turn start), and on each answer gives
 * the QA model exactly the prompt, the last agent message, the files changed since the snapshot
 * (bounded diffs) and the plan.
 */
export async function createQaVerifier(options: {
  client: ModelClient;
  model: string;
  profiles?: readonly string[];
  repo: string | undefined;
  budgetTokens: number;
  sessionId: string;
  turnId: string;
  /** Told, before the QA model is asked, how many changed files it checks. */
  onCheck?: (changedFiles: number) => void;
}): Promise<(request: QaRequest, signal: AbortSignal) => Promise<QaResult>> {
  const snapshot = options.repo
    ? await snapshotWorktree(options.repo).catch(() => undefined)
    : undefined;
  return async (request, signal) => {
    const changed =
      options.repo && snapshot
        ? await changesSince(options.repo, snapshot, { budgetTokens: options.budgetTokens })
        : { changes: [] };
    options.onCheck?.(changed.changes.length);
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
