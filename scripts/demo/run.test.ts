// The exec demo end to end: the bundled hedge binary (built by the globalSetup), the real
// bubblewrap sandbox, a real git repository, the scripted upstream playing the demo's model.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEMO_FILES, runExecDemo } from "./run.js";

async function demo(files?: Record<string, string>): Promise<{ code: number; output: string }> {
  let output = "";
  const code = await runExecDemo({
    write: (text) => (output += text),
    ...(files ? { files } : {}),
  });
  return { code, output };
}

function lastLine(output: string): string {
  return output.trimEnd().split("\n").at(-1) ?? "";
}

/** What the demo's own run of the test printed (after hedge finished). */
function demoRun(output: string): string {
  return output.slice(output.lastIndexOf("\n$ node test.js\n"));
}

describe("npm run exec-demo", () => {
  it("runs the agent's commands inside bubblewrap and ends with its own run of the test", async () => {
    // PID 1 of the command's PID namespace is bwrap inside the sandbox.
    const probe =
      'import { readFileSync } from "node:fs";\nconsole.log("pid 1:", readFileSync("/proc/1/comm", "utf8").trim());\n';
    const { code, output } = await demo({
      ...DEMO_FILES,
      "test.js": probe + DEMO_FILES["test.js"],
    });
    expect(output).toContain("sandbox: bubblewrap (");
    expect(output).toContain("qa: pass");
    const agent = output.slice(0, output.lastIndexOf("\n$ git diff\n"));
    expect(agent).toContain("pid 1: bwrap");
    expect(demoRun(output)).not.toContain("pid 1: bwrap");
    expect(demoRun(output)).toContain("ok add(2, 3) = 5");
    expect(lastLine(output)).toBe(
      "exec-demo: PASS: `node test.js` exits 0 when the demo runs it after the agent (hedge exec exited 0)",
    );
    expect(code).toBe(0);
  });

  it("when the fix does not make the test pass, QA blocks, says why, and the last line says FAIL", async () => {
    // The test wants 6: the agent's fix (a + b) is right about the bug and still fails.
    const test =
      'import { add } from "./src/math.js";\nif (add(2, 3) !== 6) {\n  console.error("FAIL add(2, 3) =", add(2, 3));\n  process.exit(1);\n}\n';
    const { code, output } = await demo({ ...DEMO_FILES, "test.js": test });
    expect(output).toContain(
      "qa: block `node test.js` still fails: it exits 1 (FAIL add(2, 3) = 5).",
    );
    expect(output).not.toContain("qa: pass");
    expect(lastLine(output)).toMatch(
      /^exec-demo: FAIL: `node test.js` exits 1 when the demo runs it after the agent \(hedge exec exited \d+\)$/,
    );
    expect(code).toBe(1);
  });

  it("without bubblewrap it stops with one line and the install command, before anything runs", () => {
    // A PATH with node and git only, the way `npm run exec-demo` is started.
    const bin = mkdtempSync(join(tmpdir(), "hedge-demo-path-"));
    try {
      symlinkSync(process.execPath, join(bin, "node"));
      for (const tool of ["git"]) {
        const found = spawnSync("sh", ["-c", `command -v ${tool}`], {
          encoding: "utf8",
        }).stdout.trim();
        if (found) symlinkSync(found, join(bin, tool));
      }
      const root = fileURLToPath(new URL("../..", import.meta.url));
      const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/exec-demo.ts"], {
        cwd: root,
        env: { ...process.env, PATH: bin },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(`${result.stdout}${result.stderr}`).toBe(
        "exec-demo: not started: hedge runs the agent's commands in a bubblewrap sandbox, and bwrap is not installed; install it with `node scripts/provision.mjs` (or apt-get install bubblewrap)\n",
      );
      expect(result.status).toBe(1);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
