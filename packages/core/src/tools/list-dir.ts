import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { openReadScope } from "./read-guard.js";
import { defineTool, toolError, type ToolResult } from "./tool.js";

export const MAX_ENTRIES = 500;
/** Listed, but never descended into. */
const OPAQUE_DIRECTORIES = new Set([".git", "node_modules"]);

export const listDirParameters = z.strictObject({
  path: z
    .string()
    .min(1)
    .default(".")
    .describe("Directory to list, relative to the working directory (default '.')."),
  depth: z
    .number()
    .int()
    .min(1)
    .max(3)
    .default(1)
    .describe("How many levels to show, 1 to 3 (default 1)."),
});

/**
 * `list_dir`: a sorted tree of a directory; `/` marks directories, `@` symlinks. A denied path
 * (`~/.ssh`, `$HEDGE_HOME`, ...) is refused, and shown but never expanded inside a listing.
 */
export const listDirTool = defineTool({
  name: "list_dir",
  description: `List a directory as an indented tree (directories end with "/", symlinks with "@"). .git and node_modules are shown but not expanded. At most ${MAX_ENTRIES} entries.`,
  parameters: listDirParameters,
  async execute(params, context): Promise<ToolResult> {
    const opened = await openReadScope(params.path, context.cwd, context.denyRead);
    if (!opened.ok) return opened.result;
    const { scope } = opened;
    const root = scope.path;
    const stats = await stat(root).catch(() => undefined);
    if (stats === undefined) return toolError("not_found", `${params.path}: no such directory`);
    if (!stats.isDirectory())
      return toolError("not_a_directory", `${params.path} is a file; use read_file`);
    const lines: string[] = [];
    let truncated = false;
    const walk = async (directory: string, level: number): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(directory, { withFileTypes: true });
      } catch (error) {
        lines.push(
          `${"  ".repeat(level)}[unreadable: ${(error as NodeJS.ErrnoException).code ?? "error"}]`,
        );
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const entry of entries) {
        if (lines.length >= MAX_ENTRIES) {
          truncated = true;
          return;
        }
        const marker = entry.isDirectory() ? "/" : entry.isSymbolicLink() ? "@" : "";
        lines.push(`${"  ".repeat(level)}${entry.name}${marker}`);
        if (
          entry.isDirectory() &&
          level + 1 < params.depth &&
          !OPAQUE_DIRECTORIES.has(entry.name) &&
          !scope.denies(join(directory, entry.name))
        ) {
          await walk(join(directory, entry.name), level + 1);
        }
      }
    };
    await walk(root, 0);
    if (lines.length === 0) return { ok: true, output: `(${params.path} is empty)` };
    if (truncated)
      lines.push(
        `[listing truncated at ${MAX_ENTRIES} entries; list a subdirectory or lower depth]`,
      );
    return { ok: true, output: `${root}/\n${lines.join("\n")}` };
  },
});
