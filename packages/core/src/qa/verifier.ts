import type { CanonicalRequest, CanonicalTool, CanonicalUsage } from "@hedge/model-spec";
import type { ModelStreamer } from "@hedge/gateway-client";
import { failureMessage } from "../agent/failure-message.js";
import { streamModel, type ModelStep } from "../agent/model-step.js";
import type { AnnouncedRoute } from "../agent/route-announcer.js";
import { toModelJsonSchema } from "../tools/registry.js";
import { QA_SYSTEM_PROMPT, renderQaMaterial, type QaMaterial } from "./qa-prompt.js";
import { qaVerdictSchema, type QaVerdict } from "./verdict.js";

/** The turn as the verifier sees it: prompt, final message, changed files, plan; nothing else. */
export type QaInput = QaMaterial;

/** What a QA pass needs: a model client and the QA role's model. */
export interface QaDeps {
  client: ModelStreamer;
  model: string;
  signal: AbortSignal;
  /** Keeps routing sticky with the session's other calls and ties accounting to it. */
  sessionId?: string;
  /** The QA role's login profile pool (`[roles] profiles.qa`): only these may serve the pass. */
  profiles?: readonly string[];
}

/**
 * The route that served a QA pass. {@link runQa} reports all of it; a caller that passes a result
 * on may leave out `model` (a role turn announces the QA role's configured model).
 */
export type QaRoute = AnnouncedRoute & { model?: string };

/** The verdict, or why there is none (the caller applies `qa.on_error`). */
export type QaResult =
  | { ok: true; verdict: QaVerdict; usage?: CanonicalUsage; route?: QaRoute }
  | { ok: false; error: string; usage?: CanonicalUsage; route?: QaRoute };

/** The tool the QA model must call: its parameters are the verdict schema. */
export const REPORT_VERDICT_TOOL = "report_verdict";

/** Built on first use: a turn without QA never converts the verdict schema. */
function reportVerdictTool(): CanonicalTool {
  return {
    name: REPORT_VERDICT_TOOL,
    description: "Report your verdict on the agent's turn. Call it exactly once.",
    parameters: toModelJsonSchema(qaVerdictSchema),
  };
}

/** A verdict is short; this bounds what a confused model can spend. */
const QA_MAX_TOKENS = 4096;

/**
 * One QA pass: shows the QA model exactly the turn's prompt, final message, changed files and
 * plan, and forces the answer through the `report_verdict` tool call, validated by
 * {@link qaVerdictSchema}. Never throws for a model problem (failed call, no tool call, invalid
 * arguments, interruption): that is `{ ok: false, error }`.
 */
export async function runQa(input: QaInput, deps: QaDeps): Promise<QaResult> {
  const request = buildQaRequest(input, deps);
  let route: QaRoute | undefined;
  let step: ModelStep;
  try {
    step = await streamModel(deps.client, request, deps.signal, {
      onRoute: ({ provider, model, upstreamModel, profile, switchedFrom, switchReason }) => {
        route = {
          provider,
          model,
          upstreamModel,
          profile,
          ...(switchedFrom === undefined ? {} : { switchedFrom }),
          ...(switchReason === undefined ? {} : { switchReason }),
        };
      },
    });
  } catch (error) {
    const message = failureMessage(error, deps.signal);
    return withExtras({ ok: false, error: `QA model call failed: ${message}` }, undefined, route);
  }
  if (step.error) {
    return withExtras(
      { ok: false, error: `QA model call failed: ${step.error}` },
      step.usage,
      route,
    );
  }
  const call = step.toolCalls.find((candidate) => candidate.name === REPORT_VERDICT_TOOL);
  if (!call) {
    const said = step.text.trim();
    const error = said
      ? `the QA model answered in text instead of calling ${REPORT_VERDICT_TOOL}: "${clip(said, 160)}"`
      : `the QA model did not call ${REPORT_VERDICT_TOOL}`;
    return withExtras({ ok: false, error }, step.usage, route);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch {
    const error = `the QA model's ${REPORT_VERDICT_TOOL} arguments are not JSON: ${clip(call.arguments, 160)}`;
    return withExtras({ ok: false, error }, step.usage, route);
  }
  const verdict = qaVerdictSchema.safeParse(parsed);
  if (!verdict.success) {
    const problems = verdict.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    const error = `the QA model's ${REPORT_VERDICT_TOOL} arguments are invalid: ${problems}`;
    return withExtras({ ok: false, error }, step.usage, route);
  }
  return withExtras({ ok: true, verdict: verdict.data }, step.usage, route);
}

/** The model request of a QA pass (exported for tests and for `route explain`-style tooling). */
export function buildQaRequest(
  input: QaInput,
  deps: Pick<QaDeps, "model" | "sessionId" | "profiles">,
): CanonicalRequest {
  return {
    model: deps.model,
    system: QA_SYSTEM_PROMPT,
    messages: [{ role: "user", content: [{ type: "text", text: renderQaMaterial(input) }] }],
    tools: [reportVerdictTool()],
    tool_choice: { name: REPORT_VERDICT_TOOL },
    parallel_tool_calls: false,
    max_tokens: QA_MAX_TOKENS,
    stream: true,
    metadata: {
      role: "qa",
      ...(deps.sessionId === undefined ? {} : { session_id: deps.sessionId }),
      ...(deps.profiles === undefined ? {} : { profiles: [...deps.profiles] }),
    },
    dropped: [],
  };
}

function withExtras<T extends QaResult>(
  result: T,
  usage: CanonicalUsage | undefined,
  route: QaRoute | undefined,
): T {
  return {
    ...result,
    ...(usage === undefined ? {} : { usage }),
    ...(route === undefined ? {} : { route }),
  };
}

function clip(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > limit ? `${flat.slice(0, limit)}...` : flat;
}
