export {
  TASK_TAGS,
  taskFileSchema,
  type TaskTag,
  type TaskFile,
  type EvalTask,
} from "./tasks/task-schema.js";
export { loadTasks, loadTask } from "./tasks/load-tasks.js";
export { taskSetHash } from "./tasks/task-set-hash.js";
export { wilson, formatRate, type Rate } from "./stats/wilson.js";
export { mcnemarExact } from "./stats/mcnemar.js";
export { passAtK } from "./stats/pass-at-k.js";
export { TOOLSETS, type Toolset, type ArmRoles, type EvalAgent } from "./run/agent.js";
export { attemptId, newRunId } from "./run/attempt-id.js";
export { readAttemptLines, finishedRecords } from "./run/attempt-log.js";
export type { FinishedRecord, AttemptLine } from "./run/attempt-record.js";
export { FEEDBACK_PREFIX, taskPrompt, type PlannedAttempt } from "./run/attempt.js";
export {
  runsRoot,
  runPaths,
  readManifest,
  writeManifest,
  writeAtomic,
  type RunManifest,
  type RunPaths,
} from "./run/run-manifest.js";
export { runEval, planAttempts, type RunOutcome, type RunProgress } from "./run/runner.js";
export { placeholders } from "./run/test-command.js";
export { summarize, SCRIPTED_TITLE, type RunReport, type ArmReport } from "./report/summarize.js";
export { renderMarkdown, formatUsd } from "./report/render-markdown.js";
export { plotSvg, escapeXml } from "./report/plot-svg.js";
export { compareRuns, type Comparison } from "./report/compare.js";
export { loadEvalRouting, toTable, type EvalRoutingConfig } from "./routing/eval-table.js";
