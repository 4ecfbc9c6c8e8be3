import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrepTool } from "./grep.js";
import { makeContext, makeTempDir, removeDir } from "./test-support.js";
import type { ToolResult } from "./tool.js";

let workspace: string;
beforeAll(async () => {
  workspace = await makeTempDir({
    ".gitignore": "dist/\n*.log\n",
    "src/a.ts": "export const TODO = 1;\n// todo: lower\nconst other = 2;\n",
    "src/b.test.ts": "it('todo test')\n",
    "src/nested/c.ts": "// TODO nested\n",
    "a.txt": "todo in text\n",
    "dist/out.js": "TODO built\n",
    "debug.log": "TODO logged\n",
    ".hidden/x.ts": "TODO hidden\n",
    "node_modules/pkg/index.js": "TODO dependency\n",
  });
  await writeFile(join(workspace, "bin.dat"), Buffer.from("TODO\0binary"));
});
afterAll(() => removeDir(workspace));

const implementations = [
  ["ripgrep", createGrepTool({ ripgrep: "auto" })],
  ["fallback", createGrepTool({ ripgrep: "never" })],
] as const;

describe.each(implementations)("grep (%s)", (_name, tool) => {
  const grep = (params: Parameters<typeof tool.execute>[0], cwd = workspace): Promise<ToolResult> =>
    tool.execute(params, makeContext(workspace, { cwd }));

  it("finds matches as path:line:text, skipping hidden, ignored, binary files and node_modules", async () => {
    expect(await grep({ pattern: "todo" })).toEqual({
      ok: true,
      output: [
        "a.txt:1:todo in text",
        "src/a.ts:1:export const TODO = 1;",
        "src/a.ts:2:// todo: lower",
        "src/b.test.ts:1:it('todo test')",
        "src/nested/c.ts:1:// TODO nested",
      ].join("\n"),
    });
  });

  it("is case-sensitive when the pattern has uppercase or when asked", async () => {
    expect(await grep({ pattern: "TODO", path: "src" })).toEqual({
      ok: true,
      output: "src/a.ts:1:export const TODO = 1;\nsrc/nested/c.ts:1:// TODO nested",
    });
    expect(await grep({ pattern: "todo", path: "src", case_sensitive: true })).toEqual({
      ok: true,
      output: "src/a.ts:2:// todo: lower\nsrc/b.test.ts:1:it('todo test')",
    });
  });

  it("filters by glob, limits results, and searches relative to cwd", async () => {
    expect(await grep({ pattern: "todo", glob: "*.test.ts" })).toEqual({
      ok: true,
      output: "src/b.test.ts:1:it('todo test')",
    });
    const limited = await grep({ pattern: "todo", max_results: 2 });
    expect(limited.ok && limited.output.split("\n")).toEqual([
      "a.txt:1:todo in text",
      "src/a.ts:1:export const TODO = 1;",
      "[results truncated at 2 matches; narrow the pattern, path or glob]",
    ]);
    expect(await grep({ pattern: "nested" }, join(workspace, "src"))).toEqual({
      ok: true,
      output: "nested/c.ts:1:// TODO nested",
    });
    expect(await grep({ pattern: "other", path: "src/a.ts" })).toEqual({
      ok: true,
      output: "src/a.ts:3:const other = 2;",
    });
  });

  it("says when nothing matched and rejects an invalid pattern as data", async () => {
    expect(await grep({ pattern: "no-such-text-anywhere" })).toEqual({
      ok: true,
      output: "No matches found.",
    });
    expect(await grep({ pattern: "(unclosed" })).toMatchObject({
      ok: false,
      error: { type: "invalid_pattern" },
    });
  });
});
