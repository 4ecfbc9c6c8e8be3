import { appendFileSync } from "node:fs";
import { join } from "node:path";
import {
  Thread,
  createToolHost,
  denyAllApprovals,
  type AgentEvent,
  type ThreadSettings,
  type ToolHost,
} from "@hedge/core";
import type { EvalTask } from "../tasks/task-schema.js";
import type { ArmRoles, EvalAgent, Toolset } from "./agent.js";
import type { FinishedRecord, TryResult } from "./attempt-record.js";
import { AttemptMetrics } from "./attempt-metrics.js";
import { addWorktree, changedPaths } from "./fixture-repo.js";
import { scoreWorktree } from "./test-command.js";

/** The message that gives the failed tests' output back (try 2). */
export const FEEDBACK_PREFIX = "hedge-eval: tests failed.";
const FEEDBACK_BYTES = 8 * 1024;

/** One planned attempt: a task, an arm, a tool set, a sample number. */
export interface PlannedAttempt {
  id: string;
  task: EvalTask;
  roles: ArmRoles;
  toolset: Toolset;
  sample: number;
}

/** What every attempt of a run shares. */
export interface AttemptContext {
  runId: string;
  agent: EvalAgent;
  /** The task's fixture repository and its base commit. */
  repo: (taskId: string) => { dir: string; base: string };
  /** The attempt's worktree directory (pre-created, empty). */
  worktreeOf: (attemptId: string) => string;
  /** The attempt's own directory its sandboxed commands see as `/tmp`. */
  tmpOf: (attemptId: string) => string;
  /** Paths this attempt's tools must not see: hidden tests, other attempts, other repos. */
  hideFor: (attempt: PlannedAttempt) => string[];
  logsDir: string;
  tries: number;
  expand: Record<string, string[]>;
  hedgeCommit: string | null;
  dirty: boolean;
  taskSetHash: string;
  signal: AbortSignal;
}

/**
 * Runs one attempt: a fresh worktree, the real agent (thread runtime, bwrap sandbox,
 * workspace-write, no approvals) on the task's prompt, the hidden tests copied in and run; on
 * failure the tests' output is given back once and the worktree scored again.
 */
export async function runAttempt(
  plan: PlannedAttempt,
  context: AttemptContext,
): Promise<FinishedRecord> {
  const started = Date.now();
  const { task } = plan;
  const repo = context.repo(task.id);
  const worktree = context.worktreeOf(plan.id);
  const metrics = new AttemptMetrics((route, usage) => context.agent.priceCall(route, usage));
  const tries: TryResult[] = [];
  const outside = new Set<string>();
  let error: string | null = null;
  let session: string | null = null;
  const logFile = join(context.logsDir, `${plan.id}.jsonl`);
  try {
    await addWorktree(repo.dir, worktree, repo.base);
    const settings = {
      ...context.agent.settingsFor({
        worktree,
        roles: plan.roles,
        toolset: plan.toolset,
        hide: context.hideFor(plan),
      }),
      privateTmp: context.tmpOf(plan.id),
    };
    const tools = testTools(settings, context.agent.heldSecrets);
    const thread = new Thread(settings, {
      client: context.agent.client,
      heldSecrets: context.agent.heldSecrets,
      approvals: "deny",
    });
    session = thread.id;
    try {
      let prompt = taskPrompt(task);
      for (let tryNumber = 1; tryNumber <= context.tries; tryNumber += 1) {
        await drive(thread, prompt, metrics, logFile);
        for (const path of await changedPaths(worktree, repo.base))
          if (!task.editable.includes(path)) outside.add(path);
        const scored = await scoreWorktree({
          task,
          worktree,
          tools,
          tryNumber,
          expand: context.expand,
          signal: context.signal,
        });
        tries.push(scored.result);
        if (scored.result.passed) break;
        prompt = feedbackMessage(scored.output);
      }
    } finally {
      await thread.close();
    }
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  // The worktree stays until the run ends (the runner removes the whole tree then): a sandbox
  // starting now may have planned its masks and .git protections with this worktree's paths,
  // and bubblewrap refuses to start when one of them vanished in between.
  const passed1 = tries[0]?.passed === true;
  return {
    v: 1,
    event: "finished",
    attempt: plan.id,
    run: context.runId,
    task: task.id,
    tags: task.tags,
    sample: plan.sample,
    toolset: plan.toolset,
    roles: plan.roles,
    routes: metrics.routes,
    tries,
    passed_1: passed1,
    passed_2: tries.some((result) => result.passed),
    tokens: metrics.tokens,
    cost_usd: metrics.costUsd,
    wall_ms: Date.now() - started,
    tool_calls: metrics.toolCalls,
    malformed_edits: metrics.malformedEdits,
    edits_outside: [...outside].filter((path) => !path.startsWith("tests/")).length,
    test_timeouts: tries.filter((result) => result.timed_out).length,
    session,
    hedge_commit: context.hedgeCommit,
    dirty: context.dirty,
    task_set_hash: context.taskSetHash,
    error: error === null ? (metrics.failure ?? null) : error.slice(0, 500),
  };
}

/** The prompt the agent gets: the task's, plus which files it may edit. */
export function taskPrompt(task: EvalTask): string {
  return `${task.prompt.trim()}\n\nFiles you may edit: ${task.editable.join(", ")}.`;
}

/** The one message after failed tests: their output's last 8 KiB. */
export function feedbackMessage(output: string): string {
  const bytes = Buffer.from(output, "utf8");
  const tail =
    bytes.length > FEEDBACK_BYTES
      ? bytes.subarray(bytes.length - FEEDBACK_BYTES).toString("utf8")
      : output;
  return `${FEEDBACK_PREFIX} Output (last 8 KiB):\n${tail}\nFix the code; do not edit the tests.`;
}

/** Runs one turn to its end, logging every event (the `exec --json` events) and counting. */
async function drive(
  thread: Thread,
  prompt: string,
  metrics: AttemptMetrics,
  logFile: string,
): Promise<void> {
  for await (const event of thread.run({ prompt })) {
    metrics.observe(event);
    if (keep(event)) appendFileSync(logFile, `${JSON.stringify(event)}\n`, { mode: 0o600 });
  }
}

function keep(event: AgentEvent): boolean {
  return event.type !== "item.delta" && event.type !== "role.activity";
}

/** A tool host like the thread's own: the tests run through the same sandboxed shell. */
function testTools(settings: ThreadSettings, heldSecrets: readonly string[]): ToolHost {
  const { guard } = settings;
  return createToolHost({
    workspace: settings.workspace,
    cwd: settings.workspace,
    writableRoots: settings.writableRoots,
    sandboxMode: settings.sandboxMode,
    network: false,
    approvalPolicy: "never",
    approve: denyAllApprovals,
    secrets: [...heldSecrets, ...guard.secrets],
    keyVariables: guard.keyVariables,
    shellEnvironment: guard.shellEnvironment,
    denyRead: guard.denyRead,
    ...(settings.privateTmp === undefined ? {} : { privateTmp: settings.privateTmp }),
  });
}
