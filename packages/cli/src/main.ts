import { CommanderError } from "commander";
import { EXIT } from "./exit-codes.js";
import { buildProgram } from "./program.js";
import { reportError } from "./report-error.js";

/** Runs the CLI with `args` (without node and script) and returns the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...args], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is bad usage.
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    return reportError(error, (text) => process.stderr.write(text));
  }
}
