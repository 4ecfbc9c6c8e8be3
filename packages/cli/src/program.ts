import { Command, Option } from "commander";
import { HEDGE_VERSION } from "./version.js";
import type { GlobalOptions } from "./context.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The one command tree. Commands register here with their flags and load their implementation
 * only when invoked, so `hedge --help` stays fast.
 */
export function buildProgram(): Command {
  const program = new Command("hedge")
    .description("A coding agent CLI with model routing built in.")
    .version(`hedge ${HEDGE_VERSION}`, "-V, --version", "print the version")
    .addOption(
      new Option("-c, --config <key=value>", "override a config value (TOML syntax), repeatable")
        .argParser(collect)
        .default([]),
    )
    .showSuggestionAfterError(true)
    .configureOutput({
      // One line per error with the suggestion folded in and the next step named.
      outputError: (text, write) => write(formatCommanderError(text)),
    })
    .exitOverride();

  program
    .command("doctor")
    .description("check this machine and hedge's setup (makes no hosted network call)")
    .option("--json", "print the checks as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { runDoctor } = await import("./commands/doctor.js");
      await runDoctor(globals(command), { json: options.json === true });
    });

  const config = program.command("config").description("inspect the resolved configuration");
  config
    .command("show")
    .description("print the resolved config (secrets redacted)")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { runConfigShow } = await import("./commands/config.js");
      runConfigShow(globals(command), { json: options.json === true });
    });
  config
    .command("path")
    .description("print where config is read from")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      const { runConfigPath } = await import("./commands/config.js");
      runConfigPath({ json: options.json === true });
    });

  for (const command of [program, ...program.commands, ...config.commands]) {
    command.exitOverride().showSuggestionAfterError(true);
    command.configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
  }
  return program;
}

function globals(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<{ config?: string[] }>();
  return { configOverrides: options.config ?? [] };
}

/** `error: unknown command 'x'\n(Did you mean y?)` -> one line plus the next step. */
export function formatCommanderError(text: string): string {
  const line = text
    .trim()
    .replace(/\n\(Did you mean (.+)\?\)/, " (did you mean $1?)")
    .replace(/^error: /, "")
    .replace(/\s*\n\s*/g, " ");
  return `hedge: ${line}\n  hint: run 'hedge --help' for commands and flags\n`;
}
