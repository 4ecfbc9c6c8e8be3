import type { ToolFailure } from "./tool.js";

/** One search, already resolved. */
export interface GrepQuery {
  pattern: string;
  /** Absolute file or directory to search. */
  searchPath: string;
  /** Result paths are relative to this directory. */
  cwd: string;
  glob?: string;
  /** `smart`: insensitive unless the pattern has an uppercase letter (ripgrep's `--smart-case`). */
  caseMode: "sensitive" | "insensitive" | "smart";
  maxResults: number;
  signal: AbortSignal;
  /** The environment of a search child process (ripgrep). */
  env: Readonly<Record<string, string>>;
  /** Whether a file or directory found under `searchPath` (symlinks not followed) is denied. */
  denies: (path: string) => boolean;
  /** Denied paths inside `searchPath`, relative to it with `/` separators: never entered. */
  deniedInside: readonly string[];
}

export interface GrepMatch {
  /** Relative to the query's `cwd`, `/`-separated. */
  path: string;
  line: number;
  text: string;
}

export type GrepOutcome =
  { ok: true; matches: GrepMatch[]; truncated: boolean } | { ok: false; error: ToolFailure };

/** Directories never searched, in addition to hidden ones and `.gitignore`d ones. */
export const SKIPPED_DIRECTORIES = ["node_modules"];

/** A glob (`*.ts`, `src/**\/*.test.ts`, `*.{js,ts}`) as a regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] ?? "";
    if (char === "*") {
      if (glob[index + 1] === "*") {
        source += glob[index + 2] === "/" ? "(?:.*/)?" : ".*";
        index += glob[index + 2] === "/" ? 2 : 1;
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "{") {
      source += "(?:";
    } else if (char === "}") {
      source += ")";
    } else if (char === ",") {
      source +=
        glob.slice(0, index).lastIndexOf("{") > glob.slice(0, index).lastIndexOf("}") ? "|" : ",";
    } else {
      source += char.replace(/[.+^$()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}
