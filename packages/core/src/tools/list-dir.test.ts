import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listDirTool } from "./list-dir.js";
import { makeContext, makeTempDir, removeDir } from "./test-support.js";

let workspace: string;
beforeEach(async () => {
  workspace = await makeTempDir({
    "README.md": "",
    "src/index.ts": "",
    "src/lib/util.ts": "",
    "src/lib/deep/x.ts": "",
    ".git/HEAD": "",
    "node_modules/pkg/index.js": "",
  });
  await symlink("README.md", join(workspace, "link.md"));
});
afterEach(() => removeDir(workspace));

describe("list_dir", () => {
  it("lists one level with type markers", async () => {
    const result = await listDirTool.execute({ path: ".", depth: 1 }, makeContext(workspace));
    expect(result).toEqual({
      ok: true,
      output: [`${workspace}/`, ".git/", "README.md", "link.md@", "node_modules/", "src/"].join(
        "\n",
      ),
    });
  });

  it("descends to the requested depth but never into .git or node_modules", async () => {
    const result = await listDirTool.execute({ path: ".", depth: 3 }, makeContext(workspace));
    expect(result.ok && result.output.split("\n").slice(1)).toEqual([
      ".git/",
      "README.md",
      "link.md@",
      "node_modules/",
      "src/",
      "  index.ts",
      "  lib/",
      "    deep/",
      "    util.ts",
    ]);
  });

  it("reports a missing directory or a file as data", async () => {
    expect(
      await listDirTool.execute({ path: "nope", depth: 1 }, makeContext(workspace)),
    ).toMatchObject({ ok: false, error: { type: "not_found" } });
    expect(
      await listDirTool.execute({ path: "README.md", depth: 1 }, makeContext(workspace)),
    ).toMatchObject({
      ok: false,
      error: { type: "not_a_directory" },
    });
  });
});
