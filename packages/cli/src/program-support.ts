import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";

/** Commander's argParser for repeatable options. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

export function globals(command: Command): GlobalOptions {
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
