import { existsSync } from "node:fs";
import { commandContext } from "../command-context.js";
import { hedgeHome, type GlobalOptions } from "../context.js";
import { configFiles } from "../config/load.js";
import type { ProjectOverlay } from "../config/load.js";
import { inlineToml, sourcedValues } from "../config/origins.js";
import { redactConfig } from "../config/redact.js";

interface OutputOptions {
  json: boolean;
}

/**
 * `hedge config show`: the resolved config, secrets redacted, each value with its source, and what
 * an untrusted project overlay could not set.
 */
export function runConfigShow(globals: GlobalOptions, options: OutputOptions): void {
  const { loaded } = commandContext(globals);
  const config = redactConfig(loaded.config) as Record<string, unknown>;
  const sources = loaded.layers.filter((layer) => layer.present).map((layer) => layer.source);
  const values = sourcedValues(config, loaded.layers);
  const project = loaded.project;
  if (options.json) {
    const shown = {
      sources,
      config,
      origins: Object.fromEntries(values.map((value) => [value.key, value.source])),
      project: project
        ? { path: project.path, dir: project.dir, trust: project.trust, ignored: project.ignored }
        : null,
    };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  const header = sources.length
    ? sources.map((source) => `# from ${source}`)
    : ["# no config files; built-in defaults"];
  const width = Math.max(...values.map((value) => value.key.length));
  const lines = values.map(
    (value) => `${value.key.padEnd(width)} = ${inlineToml(value.value)}  # ${value.source}`,
  );
  process.stdout.write([...header, ...projectLines(project), ...lines].join("\n") + "\n");
}

/** Comment lines on the project overlay's trust and every key it could not set. */
function projectLines(project: ProjectOverlay | undefined): string[] {
  if (!project) return [];
  const state = {
    trusted: "trusted (applies whole)",
    untrusted: "not trusted (may only narrow; 'hedge trust' applies it whole)",
    changed: "changed since trusted, so not trusted ('hedge trust' again applies it whole)",
  }[project.trust];
  return [
    `# project ${project.dir}: ${state}`,
    ...project.ignored.map(
      (ignored) =>
        `#   ignored ${ignored.key} (${ignored.reason === "widening" ? "widening" : "not allowed in an untrusted project"})`,
    ),
  ];
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
