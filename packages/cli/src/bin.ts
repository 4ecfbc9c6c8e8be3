// The `hedge` entry point. `--version` answers before anything else is loaded; everything else
// goes through the commander tree, whose commands import their modules only when they run.
import { HEDGE_VERSION } from "./version.js";

// A reader that stops early (`hedge loop runs | head`) is not hedge's failure: stop quietly, as
// `git log | head` does, instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`hedge ${HEDGE_VERSION}\n`);
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(args);
}
