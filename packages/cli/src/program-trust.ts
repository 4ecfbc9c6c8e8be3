import type { Command } from "commander";

/** `hedge trust [DIR]` and `hedge untrust [DIR]`: whether a project's overlay applies whole. */
export function registerTrust(program: Command): void {
  program
    .command("trust")
    .description(
      "let this project's .hedge/config.toml apply whole (untrusted, it may only narrow your config)",
    )
    .argument("[dir]", "the project (default: the one holding the overlay that applies here)")
    .option("--list", "list trusted projects and whether each overlay changed since")
    .option("--json", "print as JSON")
    .action(async (dir: string | undefined, options: { list?: boolean; json?: boolean }) => {
      const { runTrust, runTrustList } = await import("./commands/trust.js");
      if (options.list) runTrustList({ json: options.json === true });
      else await runTrust(dir, { json: options.json === true });
    });
  program
    .command("untrust")
    .description("stop trusting a project: its overlay may only narrow your config again")
    .argument("[dir]", "the project (default: the one holding the overlay that applies here)")
    .option("--json", "print as JSON")
    .action(async (dir: string | undefined, options: { json?: boolean }) => {
      const { runUntrust } = await import("./commands/trust.js");
      await runUntrust(dir, { json: options.json === true });
    });
}
