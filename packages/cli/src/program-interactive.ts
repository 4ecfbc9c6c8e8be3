import type { Command } from "commander";
import type { AskOptions } from "./commands/ask.js";
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
    const typo = prompt && (await commandTypo(prompt, program));
    if (typo) {
      // `hedge doctr` is a mistyped command far more often than a one-word prompt.
      program.error(`error: unknown command '${prompt}'\n(Did you mean ${typo}?)`, {
        code: "commander.unknownCommand",
        exitCode: 2,
      });
    }
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

/** `hedge ask QUESTION`: a side question about a session, from any shell. */
export function registerAsk(program: Command): void {
  program
    .command("ask")
    .description("a side question about a session, answered on a fork of its context")
    .argument("<question...>", "the question")
    .option("--session <id>", "the session (default: the newest one in this directory)")
    .option("--last", "the newest session, wherever it ran")
    .option("-C, --cd <dir>", "working directory")
    .option("--gateway <url>", "use a remote gateway instead of the embedded engine")
    .action(async (words: string[], options: AskOptions, command: Command) => {
      const { runAsk } = await import("./commands/ask.js");
      await runAsk(globals(command), words.join(" "), options);
    });
}

/**
 * The command a one-word prompt probably meant: a lower-case word of four letters or more within
 * two edits of a command's name (not the name itself).
 */
async function commandTypo(prompt: string, program: Command): Promise<string | undefined> {
  if (!/^[a-z][a-z-]{3,}$/.test(prompt)) return undefined;
  const names = program.commands
    .filter((command) => !(command as unknown as { _hidden?: boolean })._hidden)
    .flatMap((command) => [command.name(), ...command.aliases()]);
  if (names.includes(prompt)) return undefined;
  const { closest, distance } = await import("fastest-levenshtein");
  const nearest = closest(prompt, names);
  return distance(prompt, nearest) <= 2 ? nearest : undefined;
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
