import { existsSync } from "node:fs";
import { stringify as stringifyToml } from "smol-toml";
import { commandContext } from "../command-context.js";
import { hedgeHome, type GlobalOptions } from "../context.js";
import { configFiles } from "../config/load.js";
import { redactConfig } from "../config/redact.js";

interface OutputOptions {
  json: boolean;
}

/** `hedge config show`: the resolved config, secrets redacted. */
export function runConfigShow(globals: GlobalOptions, options: OutputOptions): void {
  const { loaded } = commandContext(globals);
  const config = redactConfig(loaded.config) as Record<string, unknown>;
  const sources = loaded.layers.filter((layer) => layer.present).map((layer) => layer.source);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ sources, config }, null, 2)}\n`);
    return;
  }
  const header = sources.length
    ? sources.map((source) => `# from ${source}`).join("\n")
    : "# no config files; built-in defaults";
  process.stdout.write(`${header}\n${stringifyToml(config)}\n`);
}

/** `hedge config path`: where config is read from, and which files exist. */
export function runConfigPath(options: OutputOptions): void {
  const home = hedgeHome();
  // No validation here: this is how a user finds the file behind a config error.
  const files = configFiles(home, process.cwd()).map((file) => ({
    ...file,
    exists: existsSync(file.path),
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ home, files }, null, 2)}\n`);
    return;
  }
  for (const file of files) {
    process.stdout.write(
      `${file.kind.padEnd(8)} ${file.path}${file.exists ? "" : "  (not present)"}\n`,
    );
  }
}
