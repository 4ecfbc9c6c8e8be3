// The `hedge` entry point. `--version` answers before anything else is loaded; everything else
// goes through the commander tree, whose commands import their modules only when they run.
import { HEDGE_VERSION } from "./version.js";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`hedge ${HEDGE_VERSION}\n`);
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(args);
}
