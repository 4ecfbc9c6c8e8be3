import { Option, type Command } from "commander";
import type { ExecOptions } from "./commands/exec.js";
import { collect, globals } from "./program-support.js";

/** `hedge exec` and `hedge exec resume`: flags follow `codex exec`. */
export function registerExec(program: Command): void {
  const exec = program
    .command("exec")
    .alias("e")
    .description("run the agent non-interactively on one prompt (like codex exec)")
    .argument("[prompt]", "the prompt; '-' or none reads it from stdin")
    .option("-m, --model <model>", "the executor's model for this run (provider/model or alias)")
    .option(
      "--role <role=model>",
      "a role's model for this run (orchestrator, executor, qa), repeatable",
      collect,
      [],
    )
    .option("--single-model <model>", "every role on one model")
    .option("--no-qa", "skip the QA verifier for this run")
    .option("--orchestrate", "plan the turn with the orchestrator first")
    .option("--no-orchestrate", "the executor alone, whatever the prompt")
    .option("-s, --sandbox <mode>", "read-only | workspace-write | danger-full-access")
    .option("--full-auto", "workspace-write sandbox, approvals on request")
    .option("-C, --cd <dir>", "working directory")
    .option("--add-dir <dir>", "another writable directory, repeatable", collect, [])
    .option("--skip-git-repo-check", "allow running outside a git repository")
    .option("--json", "print events as JSONL (Codex's exec --json schema)")
    .addOption(new Option("--experimental-json", "alias of --json").hideHelp())
    .option("-o, --output-last-message <file>", "write the final message to a file")
    .option("--output-schema <file>", "JSON Schema the final message must follow")
    .option("-i, --image <file>", "attach an image to the prompt, repeatable", collect, [])
    .option("--gateway <url>", "use a remote gateway instead of the embedded engine")
    .option("--wait-for-reset", "when every profile is at its limit, wait for the reset")
    .addOption(new Option("--thread-source <source>").hideHelp())
    .addOption(new Option("--cyber-access-program <program>").hideHelp())
    .action(async (prompt: string | undefined, _options: unknown, command: Command) => {
      const { runExec } = await import("./commands/exec.js");
      await runExec(globals(command), prompt, execOptions(command));
    });
  exec
    .command("resume")
    .description("continue a session: resume ID [PROMPT] or resume --last [PROMPT]")
    .argument("[session]", "session id (thread_id), or the prompt with --last")
    .argument("[prompt]", "the prompt; '-' or none reads it from stdin")
    .option("--last", "continue the most recent session")
    .action(
      async (
        first: string | undefined,
        second: string | undefined,
        options: { last?: boolean },
        command: Command,
      ) => {
        const { runExec } = await import("./commands/exec.js");
        if (options.last) {
          await runExec(globals(command), first, execOptions(command), { last: true });
        } else {
          // A missing id is reported by runExec (loaded only now, with the error types).
          await runExec(
            globals(command),
            second,
            execOptions(command),
            first === undefined ? {} : { id: first },
          );
        }
      },
    );
}

/** Options of `exec` (and of `exec resume`, which inherits them), typed. */
function execOptions(command: Command): ExecOptions {
  const options = command.optsWithGlobals<{
    model?: string;
    role?: string[];
    singleModel?: string;
    qa?: boolean;
    orchestrate?: boolean;
    sandbox?: string;
    fullAuto?: boolean;
    cd?: string;
    addDir?: string[];
    skipGitRepoCheck?: boolean;
    json?: boolean;
    experimentalJson?: boolean;
    outputLastMessage?: string;
    outputSchema?: string;
    image?: string[];
    gateway?: string;
    waitForReset?: boolean;
  }>();
  return {
    ...(options.model ? { model: options.model } : {}),
    role: options.role ?? [],
    ...(options.singleModel ? { singleModel: options.singleModel } : {}),
    qa: options.qa !== false,
    ...(options.orchestrate === undefined ? {} : { orchestrate: options.orchestrate }),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.fullAuto ? { fullAuto: true } : {}),
    ...(options.cd ? { cd: options.cd } : {}),
    addDir: options.addDir ?? [],
    ...(options.skipGitRepoCheck ? { skipGitRepoCheck: true } : {}),
    json: options.json === true || options.experimentalJson === true,
    ...(options.outputLastMessage ? { outputLastMessage: options.outputLastMessage } : {}),
    ...(options.outputSchema ? { outputSchema: options.outputSchema } : {}),
    image: options.image ?? [],
    ...(options.gateway ? { gateway: options.gateway } : {}),
    ...(options.waitForReset ? { waitForReset: true } : {}),
  };
}
