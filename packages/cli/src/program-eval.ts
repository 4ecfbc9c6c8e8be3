import { Option, type Command } from "commander";
import type { EvalRunOptions } from "./commands/eval-run.js";
import { collect, globals } from "./program-support.js";

/** `hedge eval run|report|compare|list`: measured pass rates, $ and tool calls per model and tool set. */
export function registerEval(program: Command): void {
  const evalCommand = program
    .command("eval")
    .description("run the eval tasks and compare models and tool sets");
  evalCommand
    .command("run")
    .description(
      "run every task in a fresh worktree with the real agent; pass@1, pass after feedback, $",
    )
    .option("--tasks <glob>", "task ids to run (* and ?, comma-separated; default all)")
    .option("--tasks-dir <dir>", "the tasks directory (default: evals/tasks here or above)")
    .addOption(
      new Option("-m, --model <model>", "the executor's model; repeat to compare models")
        .argParser(collect)
        .default([]),
    )
    .addOption(
      new Option("--role <role=model>", "a role's model (executor, orchestrator, qa), repeatable")
        .argParser(collect)
        .default([]),
    )
    .option("--tools <sets>", "tool set(s): default, js, or default,js to compare", "default")
    .option("--attempts <n>", "samples per task (pass@k with more than k)", "1")
    .option("--tries <n>", "1: pass@1 only; 2: also give the failed tests' output back once", "2")
    .option(
      "--budget-usd <usd>",
      "stop starting attempts before this is spent (required for hosted models)",
    )
    .option("--parallel <n>", "attempts at a time", "1")
    .option(
      "--resume <run>",
      "finish an interrupted run (attempts already finished are not run again)",
    )
    .option("--keep-worktrees", "keep each attempt's worktree for inspection")
    .addOption(
      new Option(
        "--scripted",
        "mark the run as a harness test of the scripted provider",
      ).hideHelp(),
    )
    .option("--json", "print the report as JSON")
    .action(
      async (options: Omit<EvalRunOptions, "json"> & { json?: boolean }, command: Command) => {
        const { runEvalRun } = await import("./commands/eval-run.js");
        await runEvalRun(globals(command), { ...options, json: options.json === true });
      },
    );
  evalCommand
    .command("report")
    .description(
      "a run's tables and plot (report.md, plot.svg, plot.png), rebuilt from its attempts",
    )
    .argument("<run>", "the run id (see hedge eval list)")
    .option("--json", "print the report as JSON")
    .action(async (run: string, options: { json?: boolean }, command: Command) => {
      const { runEvalReport } = await import("./commands/eval-report.js");
      await runEvalReport(globals(command), run, { json: options.json === true });
    });
  evalCommand
    .command("compare")
    .description(
      "compare two runs on the same tasks (paired exact McNemar); refuses when it can't tell",
    )
    .argument("<run-a>")
    .argument("<run-b>")
    .option("--out <file.svg>", "where to write the comparison plot")
    .option("--json", "print as JSON")
    .action(
      async (
        runA: string,
        runB: string,
        options: { json?: boolean; out?: string },
        command: Command,
      ) => {
        const { runEvalCompare } = await import("./commands/eval-report.js");
        await runEvalCompare(globals(command), runA, runB, {
          json: options.json === true,
          ...(options.out ? { out: options.out } : {}),
        });
      },
    );
  evalCommand
    .command("list")
    .description("the eval runs in $HEDGE_HOME, newest first")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { runEvalList } = await import("./commands/eval-report.js");
      runEvalList(globals(command), { json: options.json === true });
    });
}
