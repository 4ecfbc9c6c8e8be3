import type { ContentPart } from "@hedge/model-spec";
import { addUsage, emptyTurnUsage, isTransientEvent, type AgentEvent } from "../agent/events.js";
import type { AgentMessageItem } from "../agent/items.js";
import { failureMessage } from "../agent/failure-message.js";
import { RouteAnnouncer } from "../agent/route-announcer.js";
import {
  phaseFailureMessage,
  runSteps,
  type PhaseContext,
  type PhaseOutcome,
  type StepSettings,
} from "../agent/run-steps.js";
import type { ToolHost } from "../agent/tool-host.js";
import type { QaVerdict } from "../qa/verdict.js";
import type { QaResult } from "../qa/verifier.js";
import type { SessionFile } from "../session/session-file.js";
import type { TurnDecision } from "./turn-router.js";

/** What the user asks in this turn. */
export interface TurnInput {
  prompt: string;
  /** Images to show the model with the prompt. */
  images?: ContentPart[];
  /** The caller already put the prompt into the session as the turn's user message. */
  delivered?: boolean;
}

/** A role's model and, optionally, the login profiles it may use. */
export interface RoleModel {
  model: string;
  profiles?: readonly string[];
}

export interface Roles {
  orchestrator: RoleModel;
  executor: RoleModel;
  qa: RoleModel;
}

/** What the QA verifier is given: exactly this, nothing else of the conversation. */
export interface QaRequest {
  prompt: string;
  lastMessage: string;
  plan: { text: string; completed: boolean }[];
}

export interface QaSettings {
  maxRounds: number;
  onError: "open" | "closed";
  /** Runs the verifier (the caller gathers the changed files). */
  verify: (request: QaRequest, signal: AbortSignal) => Promise<QaResult>;
}

/** Everything a role turn needs; `tools` are the executor's. */
export interface RoleTurnContext extends StepSettings {
  roles: Roles;
  decision: TurnDecision;
  /** The orchestrator's tools: read-only ones and update_plan. */
  orchestratorTools: ToolHost;
  turnId: string;
  escalateAfter: number;
  maxEscalations: number;
  /** Absent when QA is off (`--no-qa`, `qa.enabled = false`). */
  qa?: QaSettings;
  /** Told each QA verdict (for stats); the turn goes on once it settled. */
  onVerdict?: (verdict: QaVerdict["verdict"]) => void | Promise<void>;
}

const ORCHESTRATOR_BRIEF = `You are the orchestrator of this turn. Another model, the executor, will make the changes.
Explore the code with the read-only tools, write the plan with update_plan (short, verifiable steps), then answer with precise instructions for the executor: which files to change and how, and how to verify the result. Do not try to change files yourself.`;

/** A role's system prompt: the thread's instructions, and the orchestrator's brief. */
export function roleInstructions(instructions: string, role: "orchestrator" | "executor"): string {
  return role === "orchestrator" ? `${instructions}\n\n${ORCHESTRATOR_BRIEF}` : instructions;
}

/**
 * One turn with roles: the route decision picks executor-only or orchestrated; orchestrated
 * turns are planned by the orchestrator, implemented by the executor (which hands back to the
 * orchestrator after repeated tool failures or when it asks for help), and every answer goes to
 * the QA verifier, which may add tasks or block the agent from declaring victory.
 */
export async function* runRoleTurn(
  input: TurnInput,
  context: RoleTurnContext,
): AsyncGenerator<AgentEvent> {
  const { session } = context;
  const usage = emptyTurnUsage();
  const record = (event: AgentEvent): AgentEvent => {
    if (!isTransientEvent(event)) session.appendEvent(event);
    return event;
  };
  const plan: { text: string; completed: boolean }[] = [];
  const routes = new RouteAnnouncer(context.nextItemId);
  const orchestrated = context.decision.mode === "orchestrated";
  const why = `${context.decision.reason} (${context.decision.source})`;
  const phase = (role: "orchestrator" | "executor", reason: string): PhaseContext => ({
    client: context.client,
    model: context.roles[role].model,
    role,
    ...(context.roles[role].profiles ? { profiles: context.roles[role].profiles } : {}),
    instructions: roleInstructions(context.instructions, role),
    tools: role === "orchestrator" ? context.orchestratorTools : context.tools,
    session,
    signal: context.signal,
    maxSteps: context.maxSteps,
    compaction: context.compaction,
    ...(role === "executor" && context.outputSchema ? { outputSchema: context.outputSchema } : {}),
    ...(context.reasoningEffort ? { reasoningEffort: context.reasoningEffort } : {}),
    nextItemId: context.nextItemId,
    ...(context.deliverSteers ? { deliverSteers: context.deliverSteers } : {}),
    ...(context.onModelUsage ? { onModelUsage: context.onModelUsage } : {}),
    turnId: context.turnId,
    decisionReason: reason,
    ...(role === "executor" && orchestrated
      ? { escalateAfter: context.escalateAfter, allowHelpRequest: true }
      : {}),
    routes,
  });
  /** Runs a phase, recording its events and tracking the plan; returns how it ended. */
  async function* run(
    role: "orchestrator" | "executor",
    reason: string,
  ): AsyncGenerator<AgentEvent, PhaseOutcome> {
    const steps = runSteps(phase(role, reason), usage);
    for (;;) {
      const next = await steps.next();
      if (next.done) return next.value;
      const event = next.value;
      if (event.type === "item.completed" && event.item.type === "todo_list") {
        plan.splice(0, plan.length, ...event.item.items);
      }
      yield record(event);
    }
  }
  const fail = (message: string): AgentEvent => record({ type: "turn.failed", error: { message } });

  yield record({ type: "turn.started" });
  if (!input.delivered) {
    session.appendMessage({
      role: "user",
      content: [{ type: "text", text: input.prompt }, ...(input.images ?? [])],
    });
  }
  try {
    let executorReason = orchestrated
      ? `executor of an orchestrated turn: ${why}`
      : `executor-only turn: ${why}`;
    if (orchestrated) {
      const planned = yield* run("orchestrator", `turn is orchestrated: ${why}`);
      if (planned.status !== "answered") {
        yield fail(phaseFailureMessage(planned));
        return;
      }
      handOver(
        session,
        `[from the orchestrator]\n${planned.text}\n\nImplement this plan with your tools. Keep the plan current with update_plan. If you are stuck, call request_help.`,
      );
    }
    let escalations = 0;
    let round = 0;
    for (;;) {
      const outcome = yield* run("executor", executorReason);
      executorReason = "executor continues";
      if (outcome.status === "escalated") {
        if (escalations >= context.maxEscalations) {
          handOver(
            session,
            `[hedge] ${outcome.reason}. No more re-planning is available this turn: solve it or explain what blocks you.`,
          );
          continue;
        }
        escalations += 1;
        yield record(notice(context, `escalated to the orchestrator: ${outcome.reason}`));
        handOver(
          session,
          `[escalation from the executor] ${outcome.reason}. Look at what failed and re-plan: give the executor new instructions.`,
        );
        const replanned = yield* run("orchestrator", `re-plan after escalation: ${outcome.reason}`);
        if (replanned.status !== "answered") {
          yield fail(phaseFailureMessage(replanned));
          return;
        }
        handOver(
          session,
          `[from the orchestrator, re-planned]\n${replanned.text}\n\nContinue with these instructions.`,
        );
        continue;
      }
      if (outcome.status !== "answered") {
        yield fail(phaseFailureMessage(outcome));
        return;
      }

      // Its id is the one the text streamed under, else taken when the item is emitted.
      let answerId = outcome.itemId;
      const answer = (): AgentMessageItem => ({
        id: (answerId ??= context.nextItemId()),
        type: "agent_message",
        text: outcome.text,
      });
      if (!context.qa) {
        yield* finish(answer());
        return;
      }
      round += 1;
      const result = await context.qa.verify(
        { prompt: input.prompt, lastMessage: outcome.text, plan: [...plan] },
        context.signal,
      );
      addUsage(usage, result.usage);
      if (result.usage) context.onModelUsage?.("qa", result.usage);
      if (!result.ok) {
        if (context.qa.onError === "closed") {
          yield record({ type: "item.completed", item: answer() });
          yield fail(`QA could not verify the turn (qa.on_error = "closed"): ${result.error}`);
          return;
        }
        yield record(
          notice(
            context,
            `warning: QA could not verify the turn (qa.on_error = "open"): ${result.error}`,
          ),
        );
        yield* finish(answer());
        return;
      }
      if (result.route) {
        const announced = routes.announce({
          role: "qa",
          model: context.roles.qa.model,
          route: result.route,
          reason: "qa pass after the executor's answer",
        });
        for (const item of announced) yield record({ type: "item.completed", item });
      }
      const verdict = result.verdict;
      await context.onVerdict?.(verdict.verdict);
      yield record({
        type: "item.completed",
        item: { id: context.nextItemId(), type: "qa_verdict", ...verdict, round },
      });
      if (verdict.verdict === "pass") {
        yield* finish(answer());
        return;
      }
      if (round >= context.qa.maxRounds) {
        const open = verdict.tasks.length
          ? `${verdict.reason} (open: ${verdict.tasks.join("; ")})`
          : verdict.reason;
        yield record(
          notice(
            context,
            `QA findings still open after ${round} round(s) (qa.max_rounds): ${open}`,
          ),
        );
        yield* finish(answer());
        return;
      }
      yield record({ type: "item.completed", item: answer() });
      if (verdict.verdict === "add_tasks") {
        plan.push(...verdict.tasks.map((text) => ({ text, completed: false })));
        yield record({
          type: "item.completed",
          item: { id: context.nextItemId(), type: "todo_list", items: [...plan] },
        });
        handOver(
          session,
          `[QA] The work is not complete. Add these tasks to the plan and do them, then answer again:\n${verdict.tasks.map((task) => `- ${task}`).join("\n")}\n(${verdict.reason})`,
        );
      } else {
        handOver(
          session,
          `[QA] You may not declare this done yet: ${verdict.reason}${verdict.tasks.length ? `\n${verdict.tasks.map((task) => `- ${task}`).join("\n")}` : ""}\nContinue, then answer again.`,
        );
      }
    }
  } catch (error) {
    yield fail(failureMessage(error, context.signal));
  }

  function* finish(answer: AgentMessageItem): Generator<AgentEvent> {
    yield record({ type: "item.completed", item: answer });
    yield record({ type: "turn.completed", usage });
  }
}

function handOver(session: SessionFile, text: string): void {
  session.appendMessage({ role: "user", content: [{ type: "text", text }] });
}

function notice(context: RoleTurnContext, message: string): AgentEvent {
  return { type: "item.completed", item: { id: context.nextItemId(), type: "notice", message } };
}
