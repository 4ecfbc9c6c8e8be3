import { dirname } from "node:path";
import {
  TOOLSETS,
  loadTasks,
  newRunId,
  placeholders,
  readManifest,
  runEval,
  runPaths,
  summarize,
  renderMarkdown,
  taskSetHash,
  writeManifest,
  type ArmRoles,
  type RunManifest,
  type RunProgress,
  type Toolset,
} from "@hedge/evals";
import { UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { connectClient } from "../composition/connect.js";
import { evalAgent } from "../composition/eval-agent.js";
import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { HEDGE_VERSION } from "../version.js";
import { findTasksRoot, hedgeCommit, plannedCount, writeReportFiles } from "./eval-files.js";

/** `hedge eval run` flags. */
export interface EvalRunOptions {
  tasks?: string;
  tasksDir?: string;
  model?: string[];
  role: string[];
  tools?: string;
  attempts?: string;
  budgetUsd?: string;
  parallel?: string;
  resume?: string;
  tries?: string;
  scripted?: boolean;
  keepWorktrees?: boolean;
  json: boolean;
}

/**
 * `hedge eval run`: every selected task, per model and tool set, in its own worktree with the
 * real agent; the report at the end. `--resume RUN` finishes an interrupted run (no attempt runs
 * twice). A hosted model needs `--budget-usd`.
 */
export async function runEvalRun(globals: GlobalOptions, options: EvalRunOptions): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const tasksRoot = findTasksRoot(options.tasksDir);
  const repoRoot = dirname(dirname(tasksRoot));
  const manifest = options.resume
    ? readManifest(runPaths(home, options.resume))
    : newManifest(options, tasksRoot, repoRoot);
  const tasks = loadTasks(tasksRoot, manifest.tasks_glob).filter((task) =>
    manifest.task_ids.includes(task.id),
  );
  const hash = taskSetHash(tasks);
  if (options.resume && hash !== manifest.task_set_hash) {
    throw new UsageError(
      `the tasks changed since run ${manifest.run} started (task set ${hash.slice(0, 8)}… vs ${manifest.task_set_hash.slice(0, 8)}…)`,
      {
        hint: "resume from the same checkout, or start a new run",
      },
    );
  }
  const paths = runPaths(home, manifest.run);
  const connection = await connectClient(loaded.config, home, undefined);
  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write("interrupting: running attempts stop; resume with --resume\n");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const agent = await evalAgent(loaded.config, home, connection);
    for (const arm of manifest.arms) {
      const { classes, error } = await agent.routeClasses(arm.executor);
      if (error)
        throw new UsageError(`${arm.executor} has no allowed route: ${error}`, {
          hint: "check it with: hedge route explain MODEL",
        });
      if (manifest.budget_usd === null) {
        if (classes.includes("hosted"))
          throw new UsageError(
            `${arm.executor} routes to a hosted provider: an eval run needs --budget-usd`,
            {
              hint: "for example: --budget-usd 5 (the run starts nothing new once the next attempt could pass it)",
            },
          );
      }
    }
    if (!options.resume) writeManifest(paths, manifest);
    process.stderr.write(
      `eval run ${manifest.run}: ${plannedCount(manifest)} attempts, tasks ${manifest.task_set_hash.slice(0, 12)}\n`,
    );
    const outcome = await runEval({
      manifest,
      paths,
      tasks,
      agent,
      tasksRoot,
      expand: placeholders(repoRoot),
      keepWorktrees: options.keepWorktrees === true,
      signal: abort.signal,
      onProgress: (progress) => process.stderr.write(progressLine(progress)),
    });
    const report = summarize({
      manifest,
      records: outcome.finished,
      planned: outcome.planned,
      stoppedByBudget: outcome.stoppedByBudget,
    });
    for (const notice of await writeReportFiles(home, report)) process.stderr.write(`${notice}\n`);
    process.stdout.write(
      options.json ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report),
    );
    process.stderr.write(`report: ${paths.reportMd}\n`);
    if (outcome.interrupted) process.exitCode = EXIT.interrupted;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await connection.client.close();
  }
}

function newManifest(options: EvalRunOptions, tasksRoot: string, repoRoot: string): RunManifest {
  const glob = options.tasks ?? "*";
  const tasks = loadTasks(tasksRoot, glob);
  const models = options.model ?? [];
  const roleFlags = parseRoleFlags(options.role);
  const executors = models.length > 0 ? models : roleFlags.executor ? [roleFlags.executor] : [];
  if (executors.length === 0) {
    throw new UsageError("hedge eval run needs a model", {
      hint: "pass --model PROVIDER/MODEL (repeatable) or --role executor=MODEL",
    });
  }
  const arms: ArmRoles[] = executors.map((executor) => ({
    executor,
    orchestrator: roleFlags.orchestrator ?? null,
    qa: roleFlags.qa ?? null,
  }));
  const toolsets = parseToolsets(options.tools ?? "default");
  const { commit, dirty } = hedgeCommit(repoRoot);
  return {
    v: 1,
    run: newRunId(),
    created: new Date().toISOString(),
    tasks_glob: glob,
    task_ids: tasks.map((task) => task.id),
    task_set_hash: taskSetHash(tasks),
    arms,
    toolsets,
    attempts: positiveInt(options.attempts ?? "1", "--attempts"),
    tries: Math.min(2, positiveInt(options.tries ?? "2", "--tries")),
    budget_usd:
      options.budgetUsd === undefined ? null : positiveNumber(options.budgetUsd, "--budget-usd"),
    parallel: positiveInt(options.parallel ?? "1", "--parallel"),
    hedge_commit: commit,
    dirty,
    hedge_version: HEDGE_VERSION,
    scripted: options.scripted === true,
  };
}

function parseRoleFlags(
  flags: readonly string[],
): Partial<Record<"executor" | "orchestrator" | "qa", string>> {
  const roles: Partial<Record<"executor" | "orchestrator" | "qa", string>> = {};
  for (const flag of flags) {
    const match = /^(executor|orchestrator|qa)=(.+)$/.exec(flag.trim());
    if (!match?.[1] || !match[2]) {
      throw new UsageError(
        `--role expects ROLE=MODEL with ROLE one of executor, orchestrator, qa, got "${flag}"`,
        {
          hint: "for example: --role qa=anthropic/claude-haiku-4-5",
        },
      );
    }
    roles[match[1] as "executor" | "orchestrator" | "qa"] = match[2];
  }
  return roles;
}

function parseToolsets(value: string): Toolset[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names)
    if (!(TOOLSETS as readonly string[]).includes(name))
      throw new UsageError(`--tools: unknown tool set "${name}"`, {
        hint: `choose from ${TOOLSETS.join(", ")} (comma-separated to compare)`,
      });
  return [...new Set(names)] as Toolset[];
}

function positiveInt(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new UsageError(`${flag} expects a whole number of at least 1, got "${value}"`);
  return parsed;
}

function positiveNumber(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new UsageError(`${flag} expects a positive number of dollars, got "${value}"`);
  return parsed;
}

function progressLine(progress: RunProgress): string {
  switch (progress.type) {
    case "attempt.started":
      return `▶ ${progress.attempt.task.id} (${progress.attempt.roles.executor} · ${progress.attempt.toolset} #${progress.attempt.sample})\n`;
    case "attempt.skipped":
      return `= ${progress.attempt.task.id}: finished earlier\n`;
    case "attempt.finished": {
      const record = progress.record;
      const verdict = record.passed_1 ? "pass" : record.passed_2 ? "pass after feedback" : "fail";
      return `${record.passed_2 ? "✓" : "✗"} ${record.task}: ${verdict}${record.error ? ` (${record.error.split("\n")[0]})` : ""}\n`;
    }
  }
}
