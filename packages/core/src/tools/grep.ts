import { accessSync, constants } from "node:fs";
import { stat } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";
import { z } from "zod";
import { grepWithFallback } from "./grep-fallback.js";
import { grepWithRipgrep } from "./grep-ripgrep.js";
import type { GrepMatch, GrepQuery } from "./grep-types.js";
import { openReadScope } from "./read-guard.js";
import { defineTool, toolError, type Tool, type ToolResult } from "./tool.js";

export const DEFAULT_MAX_RESULTS = 100;
export const MAX_RESULTS = 1000;
const MAX_TEXT_CHARS = 300;

export const grepParameters = z.strictObject({
  pattern: z.string().min(1).describe("Regular expression to search for."),
  path: z
    .string()
    .min(1)
    .optional()
    .describe("File or directory to search (default: the working directory)."),
  glob: z
    .string()
    .min(1)
    .optional()
    .describe("Only search files matching this glob, e.g. '*.ts' or 'src/**/*.test.ts'."),
  case_sensitive: z
    .boolean()
    .optional()
    .describe(
      "true: exact case; false: ignore case; omitted: ignore case unless the pattern has an uppercase letter.",
    ),
  max_results: z
    .number()
    .int()
    .min(1)
    .max(MAX_RESULTS)
    .optional()
    .describe(`Default ${DEFAULT_MAX_RESULTS}.`),
});

export interface GrepToolOptions {
  /**
   * `auto` (default): ripgrep when `rg` is on PATH, else the built-in search; `never`: always the
   * built-in search; or the path of an `rg` executable.
   */
  ripgrep?: "auto" | "never" | (string & {});
}

/** `grep`: `path:line:text` matches, from ripgrep when present, else a built-in search with the same output. */
export function createGrepTool(
  options: GrepToolOptions = {},
): Tool<z.output<typeof grepParameters>> {
  const ripgrep = options.ripgrep ?? "auto";
  return defineTool({
    name: "grep",
    description:
      "Search file contents with a regular expression. Returns matching lines as path:line:text, skipping hidden, .gitignored and binary files and node_modules.",
    parameters: grepParameters,
    async execute(params, context): Promise<ToolResult> {
      const opened = await openReadScope(params.path ?? ".", context.cwd, context.denyRead);
      if (!opened.ok) return opened.result;
      const { scope } = opened;
      if ((await stat(scope.path).catch(() => undefined)) === undefined) {
        return toolError("not_found", `grep: ${params.path ?? "."}: no such file or directory`);
      }
      const query: GrepQuery = {
        pattern: params.pattern,
        searchPath: scope.path,
        cwd: context.cwd,
        env: context.env,
        denies: scope.denies,
        deniedInside: scope.deniedInside,
        caseMode:
          params.case_sensitive === undefined
            ? "smart"
            : params.case_sensitive
              ? "sensitive"
              : "insensitive",
        maxResults: params.max_results ?? DEFAULT_MAX_RESULTS,
        signal: context.signal,
        ...(params.glob === undefined ? {} : { glob: params.glob }),
      };
      const ripgrepPath =
        ripgrep === "never" ? undefined : ripgrep === "auto" ? findOnPath("rg") : ripgrep;
      const outcome =
        ripgrepPath === undefined
          ? await grepWithFallback(query)
          : await grepWithRipgrep(query, ripgrepPath);
      if (!outcome.ok) return toolError(outcome.error.type, `grep: ${outcome.error.message}`);
      if (outcome.matches.length === 0) return { ok: true, output: "No matches found." };
      const lines = outcome.matches.map(formatMatch);
      if (outcome.truncated) {
        lines.push(
          `[results truncated at ${query.maxResults} matches; narrow the pattern, path or glob]`,
        );
      }
      return { ok: true, output: lines.join("\n") };
    },
  });
}

/** The grep tool with ripgrep auto-detected. */
export const grepTool = createGrepTool();

function formatMatch(match: GrepMatch): string {
  const text =
    match.text.length > MAX_TEXT_CHARS ? `${match.text.slice(0, MAX_TEXT_CHARS)}…` : match.text;
  return `${match.path}:${match.line}:${text}`;
}

let cachedRipgrep: { path: string | undefined } | undefined;

function findOnPath(name: string): string | undefined {
  if (cachedRipgrep !== undefined) return cachedRipgrep.path;
  let found: string | undefined;
  for (const directory of (process.env["PATH"] ?? "").split(delimiter)) {
    if (directory === "" || !isAbsolute(directory)) continue;
    try {
      accessSync(join(directory, name), constants.X_OK);
      found = join(directory, name);
      break;
    } catch {
      // Not here.
    }
  }
  cachedRipgrep = { path: found };
  return found;
}
