import { EXIT } from "./exit-codes.js";

/**
 * Prints an error the way a user should see it: one line, then the next step. Foreseeable
 * problems are HedgeErrors; anything else is a bug, reported with a pointer to HEDGE_DEBUG for
 * the stack instead of the stack itself.
 */
export function reportError(error: unknown, write: (text: string) => void): number {
  if (isForeseeable(error)) {
    write(`hedge: ${error.message}\n`);
    if (error.hint) write(`  hint: ${error.hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  write(`hedge: unexpected error: ${message.split("\n")[0] ?? message}\n`);
  if (process.env["HEDGE_DEBUG"] && error instanceof Error && error.stack) {
    write(`${error.stack}\n`);
  } else {
    write("  hint: this is a bug in hedge; rerun with HEDGE_DEBUG=1 for details and report it\n");
  }
  return EXIT.failed;
}

/**
 * A HedgeError, recognised by shape so that this module (on every command's path, `--help`
 * included) does not load the packages that define it.
 */
function isForeseeable(
  error: unknown,
): error is Error & { code: string; hint?: string; exitCode: number } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === "string" &&
    typeof (error as { exitCode?: unknown }).exitCode === "number"
  );
}
