import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { z } from "zod";
import { openReadScope } from "./read-guard.js";
import { defineTool, toolError, type ToolResult } from "./tool.js";

export const MAX_LINES = 2000;
export const MAX_OUTPUT_BYTES = 256 * 1024;
export const MAX_LINE_CHARS = 2000;

export const readFileParameters = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .describe("File to read, relative to the working directory (or absolute)."),
    start_line: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("First line to return, 1-based (default 1)."),
    end_line: z.number().int().min(1).optional().describe("Last line to return, inclusive."),
  })
  .refine(
    (params) => params.end_line === undefined || params.end_line >= (params.start_line ?? 1),
    {
      message: "end_line must not be before start_line",
      path: ["end_line"],
    },
  );

/**
 * `read_file`: numbered lines of a text file. Reads are not confined to the workspace (the
 * sandboxed shell sees the filesystem read-only anyway), but the places the sandbox hides
 * (`$HEDGE_HOME`, login homes, `~/.ssh`, ...) and /proc are refused, also through symlinks.
 */
export const readFileTool = defineTool({
  name: "read_file",
  description: `Read a text file. Returns numbered lines (line number, a tab, the line). At most ${MAX_LINES} lines per call; use start_line/end_line for longer files.`,
  parameters: readFileParameters,
  async execute(params, context): Promise<ToolResult> {
    const opened = await openReadScope(params.path, context.cwd, context.denyRead);
    if (!opened.ok) return opened.result;
    const { path } = opened.scope;
    const stats = await stat(path).catch(() => undefined);
    if (stats === undefined) return toolError("not_found", `${params.path}: no such file`);
    if (stats.isDirectory())
      return toolError("is_directory", `${params.path} is a directory; use list_dir`);
    if (!stats.isFile()) return toolError("not_a_file", `${params.path} is not a regular file`);
    if (await looksBinary(path)) {
      return toolError(
        "binary_file",
        `${params.path} is a binary file (${stats.size} bytes); read_file shows text only`,
      );
    }
    const start = params.start_line ?? 1;
    const end = params.end_line ?? Number.POSITIVE_INFINITY;
    const numbered: string[] = [];
    let bytes = 0;
    let lineNumber = 0;
    let stoppedAt: number | undefined;
    const lines = createInterface({
      input: createReadStream(path, { encoding: "utf8" }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      lineNumber += 1;
      if (lineNumber < start) continue;
      if (lineNumber > end) break;
      const shown =
        line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… [line truncated]` : line;
      const text = `${String(lineNumber).padStart(6)}\t${shown}`;
      if (numbered.length >= MAX_LINES || bytes + text.length > MAX_OUTPUT_BYTES) {
        stoppedAt = lineNumber;
        break;
      }
      numbered.push(text);
      bytes += text.length + 1;
    }
    lines.close();
    if (numbered.length === 0) {
      return lineNumber === 0
        ? { ok: true, output: `(${params.path} is empty)` }
        : toolError(
            "invalid_range",
            `${params.path} has ${lineNumber} lines; start_line ${start} is past the end`,
          );
    }
    if (stoppedAt !== undefined) {
      const last = stoppedAt - 1;
      numbered.push(
        `[output truncated at line ${last}; call read_file with start_line ${stoppedAt} to continue]`,
      );
    }
    return { ok: true, output: numbered.join("\n") };
  },
});

async function looksBinary(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}
