import type { Command } from "commander";
import type { InteractiveOptions } from "./commands/interactive.js";
import { collect, globals } from "./program-support.js";

/** Flags the interactive session shares with `exec` (where they apply). */
function sessionFlags(command: Command): Command {
  return command
    .option("-m, --model <model>", "the executor's model (provider/model or alias)")
    .option(
      "--role <role=model>",
      "a role's model (orchestrator, executor, qa), repeatable",
      collect,
      [],
    )
    .option("-s, --sandbox <mode>", "read-only | workspace-write | danger-full-access")
    .option("-a, --ask-for-approval <policy>", "untrusted | on-request | on-failure | never")
    .option("-C, --cd <dir>", "working directory")
    .option("--add-dir <dir>", "another writable directory, repeatable", collect, [])
    .option("--no-qa", "skip the QA verifier")
    .option("--gateway <url>", "use a remote gateway instead of the embedded engine");
}

/**
 * `hedge [PROMPT]` (the default command: the interactive session) and `hedge resume [ID|--last]`.
 * Both load the TUI only when run, so `hedge --help` and `hedge exec` never load ink.
 */
export function registerInteractive(program: Command): void {
  sessionFlags(
    program
      .command("session", { isDefault: true, hidden: true })
      .description("the interactive session (the default: hedge [PROMPT])")
      .argument("[prompt]", "a first prompt to send"),
  ).action(async (prompt: string | undefined, _options: unknown, command: Command) => {
    const { runInteractive } = await import("./commands/interactive.js");
    await runInteractive(globals(command), prompt, interactiveOptions(command));
  });
  sessionFlags(
    program
      .command("resume")
      .description("reopen an interactive session with its transcript and undelivered inputs")
      .argument("[session]", "session id (default with --last: the most recent)")
      .option("--last", "the most recent session"),
  ).action(async (session: string | undefined, options: { last?: boolean }, command: Command) => {
    const { runInteractive } = await import("./commands/interactive.js");
    await runInteractive(globals(command), undefined, interactiveOptions(command), {
      ...(session === undefined ? {} : { id: session }),
      ...(options.last ? { last: true } : {}),
    });
  });
}

function interactiveOptions(command: Command): InteractiveOptions {
  const options = command.optsWithGlobals<{
    model?: string;
    role?: string[];
    sandbox?: string;
    askForApproval?: string;
    cd?: string;
    addDir?: string[];
    qa?: boolean;
    gateway?: string;
  }>();
  return {
    ...(options.model ? { model: options.model } : {}),
    role: options.role ?? [],
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.askForApproval ? { approvalPolicy: options.askForApproval } : {}),
    ...(options.cd ? { cd: options.cd } : {}),
    addDir: options.addDir ?? [],
    qa: options.qa !== false,
    ...(options.gateway ? { gateway: options.gateway } : {}),
  };
}
