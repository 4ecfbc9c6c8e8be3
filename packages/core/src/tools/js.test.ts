import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsTool } from "./js.js";
import { makeContext, makeOutsideDir, makeTempDir, removeDir } from "./test-support.js";
import type { ToolContext, ToolResult } from "./tool.js";

let workspace: string;
let outsideDir: string;
let context: ToolContext;

beforeEach(async () => {
  workspace = await makeTempDir({
    "src/a.ts": "export const a = 1;\n",
    "src/b.ts": "export const b = 2;\n",
  });
  outsideDir = await makeOutsideDir(".hedge-js-test-");
  context = makeContext(workspace, { approvalPolicy: "never" });
});
afterEach(async () => {
  await removeDir(workspace);
  await removeDir(outsideDir);
});

const run = (code: string, timeout_ms?: number): Promise<ToolResult> =>
  jsTool.execute({ code, ...(timeout_ms ? { timeout_ms } : {}) }, context);

function output(result: ToolResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`tool failed: ${result.error.message}`);
  return JSON.parse(result.output) as Record<string, unknown>;
}

describe("js tool", () => {
  it("batches reads, writes, greps, patches and commands in one call", async () => {
    const result = output(
      await run(`
        const files = await list("src/*.ts");
        for (const file of files) await write(file, "// header\\n" + (await read(file)));
        await applyPatch("*** Begin Patch\\n*** Update File: src/a.ts\\n@@\\n-export const a = 1;\\n+export const a = 10;\\n*** End Patch");
        log("wrote", files.length);
        const hits = await grep("header", "src/*.ts");
        const ls = await run(["ls", "src"]);
        return { files, hits: hits.length, ls: ls.stdout.trim().split("\\n") };
      `),
    );
    expect(result["value"]).toEqual({
      files: ["src/a.ts", "src/b.ts"],
      hits: 2,
      ls: ["a.ts", "b.ts"],
    });
    expect(result["log"]).toEqual(["wrote 2"]);
    expect(result["written"]).toEqual(["src/a.ts", "src/b.ts"]);
    expect(await readFile(join(workspace, "src/a.ts"), "utf8")).toBe(
      "// header\nexport const a = 10;\n",
    );
  });

  it("returns a throw, a syntax error and a timeout as data", async () => {
    expect(output(await run('throw new Error("nope")'))["error"]).toContain("Error: nope");
    const syntax = await run("this is not javascript(");
    expect(syntax.ok).toBe(false);
    if (!syntax.ok) expect(syntax.error.type).toBe("script_failed");
    const slow = await run("await new Promise(() => setInterval(() => {}, 1000));", 1500);
    expect(slow.ok).toBe(false);
    if (!slow.ok) expect(slow.error.type).toBe("timeout");
  });

  it("cannot write outside the workspace, through its helpers or node:fs", async () => {
    const target = join(outsideDir, "escaped.txt");
    output(await run(`await write(${JSON.stringify(target)}, "x")`));
    const direct = output(
      await run(`(await import("node:fs")).writeFileSync(${JSON.stringify(target)}, "x")`),
    );
    expect(String(direct["error"])).toMatch(/restricted|EROFS|read-only|denied/i);
    await expect(stat(target)).rejects.toThrow();
  });

  it("cannot read what the sandbox hides", async () => {
    const secret = join(outsideDir, "secret.txt");
    await writeFile(secret, "TOP-SECRET");
    const result = await jsTool.execute(
      { code: `return (await import("node:fs")).readFileSync(${JSON.stringify(secret)}, "utf8")` },
      { ...context, denyRead: [...context.denyRead, outsideDir] },
    );
    expect(JSON.stringify(result)).not.toContain("TOP-SECRET");
  });
});
