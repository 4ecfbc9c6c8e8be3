import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import {
  changesAgainstHead,
  gitRoot,
  resolveRoles,
  runQa,
  type ChangeSet,
  type QaInput,
  type QaRunResult,
} from "@hedge/core";
import { UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { connectModels } from "../composition/model-connection.js";
import { hookInputError, parseHookPayload, type HookPayload } from "./qa-payload.js";
import { readTranscript } from "./qa-transcript.js";

export interface QaOptions {
  model?: string;
  gateway?: string;
  diffBudget?: string;
}

/** What the hook prints: Claude Code's and Codex's Stop hook contract. */
export interface StopDecision {
  decision: "block";
  reason: string;
}

/**
 * `hedge qa`: a Stop hook for other agents (Claude Code, Codex). Reads the hook payload (stdin,
 * or the last argument as Codex's `notify` passes it), gathers the last prompt, the final message
 * and the plan from the transcript and the uncommitted changes from git, asks the QA model, and
 * prints `{"decision":"block","reason":...}` when the agent must go on; nothing when it may stop.
 */
export async function runQaHook(
  globals: GlobalOptions,
  payloadArgument: string | undefined,
  options: QaOptions,
): Promise<void> {
  const budgetFlag = parseBudget(options.diffBudget);
  const payload = parseHookPayload(payloadArgument ?? (await readStdin()));
  // Claude Code and Codex set this once a Stop hook has sent the agent back: never block twice.
  if (payload.kind !== "codex-notify" && payload.stopHookActive) return;

  const cwd = resolve(payload.cwd);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw hookInputError(`the payload's cwd ${payload.cwd} is not a directory`);
  }
  const turn = gatherTurn(payload);
  const { home, loaded } = commandContext(globals, cwd);
  const { config } = loaded;
  if (!config.qa.enabled) {
    process.stderr.write("hedge qa: skipped, QA is off (qa.enabled = false)\n");
    return;
  }
  const changes = await gatherChanges(cwd, budgetFlag ?? config.qa.diff_budget_tokens);
  // The same resolution as exec's QA role: [roles] qa, then `model`, then the built-in default.
  const role = resolveRoles({
    config: config.roles,
    ...(config.model ? { model: config.model } : {}),
    roleFlags: [],
  }).qa;
  const model = options.model ?? role.model;

  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const connection = await connectModels(config, home, options.gateway);
  let result: QaRunResult;
  try {
    result = await runQa(
      { ...turn, changes: changes.changes, ...(changes.note ? { note: changes.note } : {}) },
      {
        client: connection.client,
        model,
        signal: abort.signal,
        ...(payload.sessionId ? { sessionId: payload.sessionId } : {}),
        ...(role.profiles ? { profiles: role.profiles } : {}),
      },
    );
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await connection.close();
  }
  if (abort.signal.aborted) {
    process.exitCode = EXIT.interrupted;
    return;
  }
  const decision = decide(result, config.qa.on_error, model);
  if (decision.warning) process.stderr.write(`hedge qa: ${decision.warning}\n`);
  if (decision.block) process.stdout.write(`${JSON.stringify(decision.block)}\n`);
}

/** The verdict (or the failure under `qa.on_error`) as the hook's answer. */
export function decide(
  result: QaRunResult,
  onError: "open" | "closed",
  model: string,
): { block?: StopDecision; warning?: string } {
  if (!result.ok) {
    if (onError === "open") {
      return {
        warning: `QA could not verify this turn, letting the agent stop (qa.on_error = "open"): ${result.error}`,
      };
    }
    return {
      block: {
        decision: "block",
        reason: `hedge QA (${model}) could not verify this turn and qa.on_error is "closed": ${result.error}. Check your work yourself (run the tests, re-read the diff) and say what you verified before stopping.`,
      },
    };
  }
  const { verdict, reason, tasks } = result.verdict;
  if (verdict === "pass") return {};
  const list = tasks.map((task) => `- ${task}`).join("\n");
  const text =
    verdict === "add_tasks"
      ? `hedge QA found missing work: ${reason}\nDo these tasks, then stop:\n${list}`
      : `hedge QA does not accept that this is done: ${reason}${list ? `\nFix:\n${list}` : ""}`;
  return { block: { decision: "block", reason: text } };
}

type Turn = Omit<QaInput, "changes" | "note">;

function gatherTurn(payload: HookPayload): Turn {
  if (payload.kind === "codex-notify") {
    if (!payload.prompt) throw hookInputError("the Codex notify payload has no input-messages");
    return { prompt: payload.prompt, lastMessage: payload.lastMessage ?? "" };
  }
  if (!payload.transcriptPath) {
    throw hookInputError("the Stop hook payload has no transcript_path to read the prompt from");
  }
  const transcript = readTranscript(payload.transcriptPath);
  if (!transcript.prompt) {
    throw hookInputError(`transcript ${payload.transcriptPath}: no user prompt found`);
  }
  return {
    prompt: transcript.prompt,
    lastMessage: payload.lastMessage ?? transcript.lastMessage ?? "",
    ...(transcript.plan ? { plan: transcript.plan } : {}),
  };
}

async function gatherChanges(cwd: string, budgetTokens: number): Promise<ChangeSet> {
  const repo = gitRoot(cwd);
  if (!repo)
    return { changes: [], note: `${cwd} is not in a git repository: changed files unknown` };
  const changes = await changesAgainstHead(repo, { budgetTokens });
  // The hook cannot tell this turn's changes from earlier uncommitted work.
  const scope = "changes are all uncommitted work against HEAD, not only this turn's";
  return { changes: changes.changes, note: changes.note ? `${scope}; ${changes.note}` : scope };
}

function parseBudget(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new UsageError(`--diff-budget expects a whole number of tokens, got "${text}"`);
  }
  return value;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw hookInputError(
      "expects a Stop hook payload on stdin (it runs as a hook of Claude Code or Codex)",
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The same client choice as `hedge exec`: a remote gateway when one is named, else embedded. */
