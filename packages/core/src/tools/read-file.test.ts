import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFileTool } from "./read-file.js";
import { makeContext, makeTempDir, removeDir } from "./test-support.js";
import type { ToolResult } from "./tool.js";

let workspace: string;
beforeEach(async () => {
  workspace = await makeTempDir({
    "a.txt": "alpha\nbeta\ngamma\ndelta\n",
    "src/empty.ts": "",
  });
});
afterEach(() => removeDir(workspace));

const read = (params: Parameters<typeof readFileTool.execute>[0]): Promise<ToolResult> =>
  readFileTool.execute(params, makeContext(workspace));

describe("read_file", () => {
  it("returns numbered lines", async () => {
    expect(await read({ path: "a.txt" })).toEqual({
      ok: true,
      output: "     1\talpha\n     2\tbeta\n     3\tgamma\n     4\tdelta",
    });
  });

  it("returns a 1-based inclusive range", async () => {
    expect(await read({ path: "a.txt", start_line: 2, end_line: 3 })).toEqual({
      ok: true,
      output: "     2\tbeta\n     3\tgamma",
    });
    expect(await read({ path: "a.txt", start_line: 9 })).toMatchObject({
      ok: false,
      error: { type: "invalid_range", message: "a.txt has 4 lines; start_line 9 is past the end" },
    });
  });

  it("bounds long files with a note on how to continue", async () => {
    await writeFile(
      join(workspace, "long.txt"),
      Array.from({ length: 2500 }, (_, index) => `line ${index + 1}`).join("\n"),
    );
    const result = await read({ path: "long.txt" });
    const lines = result.ok ? result.output.split("\n") : [];
    expect(lines).toHaveLength(2001);
    expect(lines[1999]).toBe("  2000\tline 2000");
    expect(lines[2000]).toBe(
      "[output truncated at line 2000; call read_file with start_line 2001 to continue]",
    );
  });

  it("refuses binary files, directories and missing files as data", async () => {
    await writeFile(join(workspace, "image.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
    expect(await read({ path: "image.png" })).toMatchObject({
      ok: false,
      error: { type: "binary_file" },
    });
    expect(await read({ path: "src" })).toMatchObject({
      ok: false,
      error: { type: "is_directory" },
    });
    expect(await read({ path: "nope.txt" })).toMatchObject({
      ok: false,
      error: { type: "not_found" },
    });
    expect(await read({ path: "src/empty.ts" })).toEqual({
      ok: true,
      output: "(src/empty.ts is empty)",
    });
  });

  it("reads absolute paths too (reads are not confined to the workspace)", async () => {
    expect(await read({ path: join(workspace, "a.txt"), end_line: 1 })).toEqual({
      ok: true,
      output: "     1\talpha",
    });
  });
});
