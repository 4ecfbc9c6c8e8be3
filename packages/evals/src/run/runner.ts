import { chmodSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { EvalTask } from "../tasks/task-schema.js";
import type { EvalAgent, Toolset } from "./agent.js";
import { attemptId } from "./attempt-id.js";
import { AttemptLog, finishedRecords, readAttemptLines } from "./attempt-log.js";
import type { FinishedRecord } from "./attempt-record.js";
import { runAttempt, type PlannedAttempt } from "./attempt.js";
import { makeFixtureRepo } from "./fixture-repo.js";
import type { RunManifest, RunPaths } from "./run-manifest.js";

/** How a run ended. */
export interface RunOutcome {
  planned: number;
  /** Finished attempts, this invocation's and earlier ones' (a resume). */
  finished: FinishedRecord[];
  /** Set when the budget stopped the run before every attempt ran. */
  stoppedByBudget: { spentUsd: number; budgetUsd: number } | undefined;
  /** Attempts started before and never finished (killed): run again now. */
  abandoned: string[];
  interrupted: boolean;
}

/** Progress, for the command's printer. */
export type RunProgress =
  | { type: "attempt.started"; attempt: PlannedAttempt }
  | { type: "attempt.finished"; record: FinishedRecord }
  | { type: "attempt.skipped"; attempt: PlannedAttempt };

/** Every attempt a manifest asks for, in a fixed order (task, arm, tool set, sample). */
export function planAttempts(manifest: RunManifest, tasks: readonly EvalTask[]): PlannedAttempt[] {
  const plans: PlannedAttempt[] = [];
  for (let sample = 0; sample < manifest.attempts; sample += 1)
    for (const task of tasks)
      for (const roles of manifest.arms)
        for (const toolset of manifest.toolsets as Toolset[]) {
          const id = attemptId({
            runId: manifest.run,
            taskId: task.id,
            roles: { ...roles },
            toolset,
            sample,
          });
          plans.push({ id, task, roles, toolset, sample });
        }
  return plans;
}

/**
 * Runs (or resumes) a run: attempts whose id has a `finished` line are skipped; those with only
 * a `started` line were killed and get an `abandoned` line, then run once more. Up to
 * `parallel` attempts at a time; before starting one, `spent + mean cost so far` must stay within
 * the budget, else nothing new starts and the running ones finish.
 */
export async function runEval(input: {
  manifest: RunManifest;
  paths: RunPaths;
  tasks: readonly EvalTask[];
  agent: EvalAgent;
  tasksRoot: string;
  expand: Record<string, string[]>;
  keepWorktrees?: boolean;
  /** Where attempts' repositories and worktrees go (default `~/.cache/hedge/evals`). */
  workRoot?: string;
  signal: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
}): Promise<RunOutcome> {
  const { manifest, paths } = input;
  const plans = planAttempts(manifest, input.tasks);
  const earlier = readAttemptLines(paths.attempts);
  const done = new Set(finishedRecords(earlier).map((record) => record.attempt));
  const startedBefore = new Set(
    earlier.flatMap((line) => (line.event === "started" ? [line.attempt] : [])),
  );
  const log = new AttemptLog(paths.attempts);
  const abandoned = [...startedBefore].filter((id) => !done.has(id));
  for (const id of abandoned)
    log.append({ v: 1, event: "abandoned", attempt: id, at: new Date().toISOString() });

  const finished: FinishedRecord[] = finishedRecords(earlier);
  const todo = plans.filter((plan) => {
    if (!done.has(plan.id)) return true;
    input.onProgress?.({ type: "attempt.skipped", attempt: plan });
    return false;
  });

  // Each invocation its own 0700 tree; every attempt's directory exists before the first one
  // starts, so each sandbox can mask all the others (a mask needs an existing path). Not under
  // /tmp: the sandbox binds /tmp writable, and the task's repository (its .git config) must stay
  // read-only to the model, since the runner runs git there after the attempt.
  const base = input.workRoot ?? join(homedir(), ".cache", "hedge", "evals");
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const root = mkdtempSync(join(base, `${manifest.run}-`));
  chmodSync(root, 0o700);
  const repos = new Map<string, { dir: string; base: string }>();
  let stoppedByBudget: RunOutcome["stoppedByBudget"];
  try {
    for (const task of new Set(todo.map((plan) => plan.task))) {
      const dir = join(root, "repos", task.id);
      repos.set(task.id, { dir, base: await makeFixtureRepo(task.workspaceDir, dir) });
    }
    const worktreeOf = (id: string): string => join(root, "wt", id);
    // Each attempt's own /tmp: parallel attempts cannot pass notes through the shared one.
    const tmpOf = (id: string): string => join(root, "tmp", id);
    for (const plan of todo) {
      mkdirSync(worktreeOf(plan.id), { recursive: true, mode: 0o700 });
      mkdirSync(tmpOf(plan.id), { recursive: true, mode: 0o700 });
    }
    const context = {
      runId: manifest.run,
      agent: input.agent,
      repo: (taskId: string) => repos.get(taskId) ?? { dir: "", base: "" },
      worktreeOf,
      tmpOf,
      hideFor: (plan: PlannedAttempt) => [
        input.tasksRoot,
        paths.dir,
        ...todo
          .filter((other) => other.id !== plan.id)
          .flatMap((other) => [worktreeOf(other.id), tmpOf(other.id)]),
        ...[...repos.entries()]
          .filter(([taskId]) => taskId !== plan.task.id)
          .map(([, repo]) => repo.dir),
      ],
      logsDir: paths.logs,
      tries: manifest.tries,
      expand: input.expand,
      hedgeCommit: manifest.hedge_commit,
      dirty: manifest.dirty,
      taskSetHash: manifest.task_set_hash,
      signal: input.signal,
    };
    let next = 0;
    const budget = manifest.budget_usd;
    const spent = (): number => finished.reduce((sum, record) => sum + (record.cost_usd ?? 0), 0);
    const mayStart = (): boolean => {
      if (budget === null) return true;
      const priced = finished.filter((record) => record.cost_usd !== null);
      const mean = priced.length === 0 ? 0 : spent() / priced.length;
      if (spent() + mean <= budget) return true;
      stoppedByBudget = { spentUsd: spent(), budgetUsd: budget };
      return false;
    };
    const worker = async (): Promise<void> => {
      for (;;) {
        if (input.signal.aborted || stoppedByBudget) return;
        const plan = todo[next];
        if (!plan || !mayStart()) return;
        next += 1;
        log.append({
          v: 1,
          event: "started",
          attempt: plan.id,
          task: plan.task.id,
          sample: plan.sample,
          toolset: plan.toolset,
          at: new Date().toISOString(),
        });
        input.onProgress?.({ type: "attempt.started", attempt: plan });
        const record = await runAttempt(plan, context);
        // An interrupted attempt is not a result: it stays `started` and runs again on resume.
        if (input.signal.aborted) return;
        log.append(record);
        finished.push(record);
        input.onProgress?.({ type: "attempt.finished", record });
      }
    };
    const parallel = Math.max(1, Math.min(manifest.parallel, todo.length));
    await Promise.all(Array.from({ length: parallel }, () => worker()));
  } finally {
    log.close();
    if (!input.keepWorktrees) rmSync(root, { recursive: true, force: true });
  }
  return {
    planned: plans.length,
    finished,
    stoppedByBudget,
    abandoned,
    interrupted: input.signal.aborted,
  };
}
