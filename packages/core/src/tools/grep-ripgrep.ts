import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import type { GrepMatch, GrepOutcome, GrepQuery } from "./grep-types.js";

const CASE_FLAGS = { sensitive: "-s", insensitive: "-i", smart: "-S" } as const;

const matchEventSchema = z.object({
  type: z.literal("match"),
  data: z.object({
    path: z.object({ text: z.string() }),
    lines: z.object({ text: z.string() }),
    line_number: z.number(),
  }),
});

/**
 * Searches with ripgrep (`rg --json`), in ripgrep's own path order. ripgrep runs in the searched
 * directory so that each denied path inside it is excluded by an anchored glob (given last, so it
 * wins over the model's `glob`); matches in a denied path are also dropped afterwards.
 */
export function grepWithRipgrep(query: GrepQuery, ripgrepPath: string): Promise<GrepOutcome> {
  const isDirectory = statSync(query.searchPath, { throwIfNoEntry: false })?.isDirectory() === true;
  const directory = isDirectory ? query.searchPath : dirname(query.searchPath);
  const target = isDirectory ? "." : basename(query.searchPath);
  const args = [
    "--json",
    "--sort", "path",
    "--no-require-git",
    "--no-config",
    CASE_FLAGS[query.caseMode],
    "-g", "!node_modules/",
    ...(query.glob === undefined ? [] : ["-g", query.glob]),
    ...query.deniedInside.flatMap((path) => ["-g", `!/${escapeGlob(path)}`]),
    "-e", query.pattern,
    "--", target,
  ]; // prettier-ignore
  return new Promise((resolve) => {
    const child = spawn(ripgrepPath, args, {
      cwd: directory,
      env: query.env,
      stdio: ["ignore", "pipe", "pipe"],
      signal: query.signal,
    });
    const matches: GrepMatch[] = [];
    let truncated = false;
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on("line", (line) => {
      if (truncated || !line.startsWith('{"type":"match"')) return;
      const event = matchEventSchema.safeParse(parseJson(line));
      if (!event.success) return;
      if (matches.length >= query.maxResults) {
        truncated = true;
        child.kill("SIGKILL");
        return;
      }
      const { path, lines: text, line_number: lineNumber } = event.data.data;
      const found = join(directory, path.text);
      if (query.denies(found)) return;
      matches.push({
        path: relative(query.cwd, found).split(sep).join("/"),
        line: lineNumber,
        text: text.text.replace(/\r?\n$/, ""),
      });
    });
    child.on("error", (error) => {
      resolve({
        ok: false,
        error: { type: "grep_failed", message: `ripgrep failed: ${error.message}` },
      });
    });
    child.on("close", (code) => {
      if (truncated || code === 0 || code === 1 || (code === 2 && matches.length > 0)) {
        resolve({ ok: true, matches, truncated });
        return;
      }
      const message = stderr.trim() || `ripgrep exited with code ${String(code)}`;
      const type = /regex parse error|error parsing/i.test(message)
        ? "invalid_pattern"
        : "grep_failed";
      resolve({ ok: false, error: { type, message } });
    });
  });
}

/** A path as a literal ripgrep glob. */
function escapeGlob(path: string): string {
  return path.replace(/[\\*?[\]{}!]/g, "\\$&");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
