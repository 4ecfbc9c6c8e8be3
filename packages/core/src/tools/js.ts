import { z } from "zod";
import { runApplyPatch } from "./apply-patch.js";
import { JS_PRELUDE, JS_RESULT_MARKER } from "./js-prelude.js";
import { shellTool } from "./shell.js";
import { defineTool, toolError, type ToolResult } from "./tool.js";

export const JS_MAX_TIMEOUT_MS = 120_000;
const OUTPUT_CAP = 16 * 1024;

export const jsParameters = z.strictObject({
  code: z
    .string()
    .min(1)
    .max(100_000)
    .describe("The body of an async function; `return` a value to get it back as JSON."),
  timeout_ms: z
    .number()
    .int()
    .positive()
    .max(JS_MAX_TIMEOUT_MS)
    .optional()
    .describe("Wall time limit (default 60000)."),
});

const description = `Run a Node.js script in the sandbox to batch file operations and checks in one call. The code is the body of an async function with these helpers (paths relative to the workspace): read(path) -> text; write(path, text); list(glob) -> paths; grep(regex, glob) -> [{path, line, text}]; applyPatch(patchText) (applied with apply_patch when the script ends); run(argv, {cwd?, timeoutMs?}) -> {exitCode, stdout, stderr} (argv array, no shell); log(...values). Return a value to get it back as JSON, with the log and the files written.`;

/**
 * `js` (the opt-in `js` tool set, in place of `shell`): the script runs as a Node process inside
 * the same bubblewrap sandbox as `shell` (the boundary), with Node's permission model as a second
 * fence (reads and writes: the workspace only). Failures (syntax error,
 * throw, timeout) come back as data.
 */
export const jsTool = defineTool({
  name: "js",
  description,
  parameters: jsParameters,
  async execute(params, context): Promise<ToolResult> {
    // The script goes in as `-e` (no file: Node 20's permission model mishandles several
    // allowed directories under one parent, and a file would need a read grant of its own).
    const source = `${JS_PRELUDE}\ntry {\n  const __value = await (async () => {\n${params.code}\n})();\n  __finish(__value, null);\n} catch (error) {\n  __finish(undefined, error);\n  process.exitCode = 1;\n}\n`;
    const command = [
      process.execPath,
      "--max-old-space-size=256",
      "--experimental-permission",
      // Node 20 names a directory's contents `DIR/*`.
      `--allow-fs-read=${context.workspace}/*`,
      `--allow-fs-write=${context.workspace}/*`,
      "--allow-child-process",
      "--no-warnings",
      "--input-type=module",
      "-e",
      source,
    ];
    const timeoutMs = params.timeout_ms ?? 60_000;
    const ran = await shellTool.execute(
      { command, workdir: context.workspace, timeout_ms: timeoutMs },
      context,
    );
    if (!ran.ok) return ran;
    const exec = ran.metadata?.kind === "exec" ? ran.metadata : undefined;
    if (exec?.timed_out)
      return toolError("timeout", `the script ran longer than ${timeoutMs} ms and was killed`);
    const output = exec?.aggregated_output ?? ran.output;
    const at = output.lastIndexOf(JS_RESULT_MARKER);
    if (at < 0)
      return toolError(
        "script_failed",
        `the script did not finish (exit ${exec?.exit_code ?? "?"}):\n${cap(output)}`,
      );
    const envelope = JSON.parse(
      output.slice(at + JS_RESULT_MARKER.length).split("\n")[0] ?? "{}",
    ) as {
      value: unknown;
      error: string | null;
      logs: string[];
      changed: string[];
      patches: string[];
    };
    const patched: string[] = [];
    for (const patch of envelope.patches) {
      const applied = await runApplyPatch(patch, context);
      patched.push(applied.ok ? applied.output : `apply_patch failed: ${applied.error.message}`);
    }
    return {
      ok: true,
      output: cap(
        JSON.stringify({
          ...(envelope.error ? { error: envelope.error } : { value: envelope.value }),
          log: headTail(envelope.logs),
          written: envelope.changed,
          ...(patched.length ? { patches: patched } : {}),
        }),
      ),
    };
  },
});

function headTail(lines: readonly string[]): string[] {
  return lines.length <= 200
    ? [...lines]
    : [...lines.slice(0, 100), `… ${lines.length - 200} lines …`, ...lines.slice(-100)];
}

function cap(text: string): string {
  return text.length <= OUTPUT_CAP
    ? text
    : `${text.slice(0, OUTPUT_CAP / 2)}\n…\n${text.slice(-OUTPUT_CAP / 2)}`;
}
