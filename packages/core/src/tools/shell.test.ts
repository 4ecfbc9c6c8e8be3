import { stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shellTool } from "./shell.js";
import {
  makeContext,
  makeOutsideDir,
  makeTempDir,
  recordingApprover,
  removeDir,
} from "./test-support.js";
import type { ExecMetadata, ToolContext, ToolResult } from "./tool.js";

let workspace: string;
let context: ToolContext;
/** Outside the workspace and outside /tmp (which workspace-write keeps writable, like Codex). */
let outsideDir: string;

beforeEach(async () => {
  workspace = await makeTempDir();
  outsideDir = await makeOutsideDir(".hedge-shell-test-");
  context = makeContext(workspace);
});
afterEach(async () => {
  await removeDir(workspace);
  await removeDir(outsideDir);
});

const run = (
  params: Parameters<typeof shellTool.execute>[0],
  overrides: Partial<ToolContext> = {},
): Promise<ToolResult> => shellTool.execute(params, { ...context, ...overrides });
const exec = (result: ToolResult): ExecMetadata => {
  if (!result.ok || result.metadata?.kind !== "exec")
    throw new Error(`not an exec result: ${JSON.stringify(result)}`);
  return result.metadata;
};
const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );
const node = process.execPath;

describe("shell", () => {
  it("returns exit code, interleaved output and metadata", async () => {
    const result = await run({ command: ["sh", "-c", "echo out; echo err >&2; exit 3"] });
    const metadata = exec(result);
    expect(metadata).toMatchObject({
      kind: "exec",
      exit_code: 3,
      timed_out: false,
      sandboxed: true,
    });
    expect(metadata.aggregated_output).toContain("out\n");
    expect(metadata.aggregated_output).toContain("err\n");
    expect(result.ok && result.output).toMatch(
      /^Exit code: 3\nWall time: \d+\.\d seconds\nOutput:\nout\n/,
    );
  });

  it("runs in workdir, relative to the working directory", async () => {
    await run({ command: ["mkdir", "sub"] });
    const result = await run({ command: ["pwd"], workdir: "sub" });
    expect(exec(result).aggregated_output.trim()).toBe(join(workspace, "sub"));
    const missing = await run({ command: ["pwd"], workdir: "nope" });
    expect(missing).toMatchObject({ ok: false, error: { type: "invalid_workdir" } });
  });

  it.each(["workspace-write", "danger-full-access"] as const)(
    "runs commands with the tool environment, not hedge's own (%s)",
    async (sandboxMode) => {
      process.env["HEDGE_TEST_PARENT_ONLY"] = "from-hedge";
      try {
        const result = await run(
          { command: ["env"] },
          { sandboxMode, env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", GIVEN: "yes" } },
        );
        const lines = exec(result).aggregated_output.split("\n");
        expect(lines).toContain("GIVEN=yes");
        expect(lines.filter((line) => line.startsWith("HEDGE_TEST_PARENT_ONLY="))).toEqual([]);
      } finally {
        delete process.env["HEDGE_TEST_PARENT_ONLY"];
      }
    },
  );

  it("streams output through onOutput", async () => {
    const chunks: string[] = [];
    await run(
      { command: ["sh", "-c", "echo one; sleep 0.1; echo two"] },
      { onOutput: (chunk) => chunks.push(chunk) },
    );
    expect(chunks.join("")).toBe("one\ntwo\n");
    expect(chunks.length).toBeGreaterThanOrEqual(2);
  });

  it("keeps the head and tail of long output with a truncation marker", async () => {
    const script = "process.stdout.write('HEAD' + 'a'.repeat(50000) + 'b'.repeat(50000) + 'TAIL')";
    const metadata = exec(await run({ command: [node, "-e", script] }));
    const output = metadata.aggregated_output;
    expect(output.startsWith("HEAD")).toBe(true);
    expect(output.endsWith("TAIL")).toBe(true);
    expect(output).toContain(`[... ${100008 - 16384} bytes truncated ...]`);
    expect(output.length).toBeLessThan(16384 + 100);
  });

  it.each(["workspace-write", "danger-full-access"] as const)(
    "kills the whole process group on timeout (%s)",
    async (sandboxMode) => {
      const marker = join(workspace, "late.txt");
      const started = Date.now();
      const result = await run(
        { command: ["sh", "-c", `(sleep 0.5; touch ${marker}) & sleep 30`], timeout_ms: 200 },
        { sandboxMode },
      );
      expect(Date.now() - started).toBeLessThan(5000);
      expect(exec(result)).toMatchObject({ timed_out: true, exit_code: 124 });
      expect(result.ok && result.output).toContain("command timed out after 200 ms");
      await sleep(800);
      expect(await exists(marker)).toBe(false);
    },
  );

  it("stops the command when the turn is aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const result = await run({ command: ["sleep", "30"] }, { signal: controller.signal });
    expect(result).toMatchObject({ ok: false, error: { type: "aborted" } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reports a program that cannot start", async () => {
    const result = await run(
      { command: ["hedge-no-such-program"] },
      { sandboxMode: "danger-full-access" },
    );
    expect(result).toMatchObject({ ok: false, error: { type: "spawn_failed" } });
  });

  describe("approvals", () => {
    it("untrusted: a known read-only command runs without asking", async () => {
      const approver = recordingApprover({ type: "deny" });
      const result = await run(
        { command: ["ls", "-a"] },
        { approvalPolicy: "untrusted", approve: approver.approve },
      );
      expect(exec(result).exit_code).toBe(0);
      expect(approver.requests).toEqual([]);
    });

    it("untrusted: anything else asks; declined (as in exec) means it does not run", async () => {
      const approver = recordingApprover({ type: "deny" });
      const result = await run(
        { command: ["touch", "created.txt"] },
        { approvalPolicy: "untrusted", approve: approver.approve },
      );
      expect(result).toEqual({
        ok: false,
        error: {
          type: "approval_denied",
          message:
            "the user did not approve running `touch created.txt` (approval policy untrusted: not a known read-only command); ask for another way or explain",
        },
      });
      expect(approver.requests).toMatchObject([
        { kind: "exec", command: ["touch", "created.txt"], sandboxed: true },
      ]);
      expect(await exists(join(workspace, "created.txt"))).toBe(false);
    });

    it("on-request: escalation asks; declined does not run, approved runs outside the sandbox", async () => {
      const target = join(outsideDir, "escalated.txt");
      const params = {
        command: ["touch", target],
        with_escalated_permissions: true,
        justification: "needs it",
      };
      const denier = recordingApprover({ type: "deny" });
      const denied = await run(params, { approve: denier.approve });
      expect(denied).toMatchObject({ ok: false, error: { type: "approval_denied" } });
      expect(denier.requests).toMatchObject([
        { kind: "exec", sandboxed: false, justification: "needs it" },
      ]);
      expect(await exists(target)).toBe(false);

      const approver = recordingApprover({ type: "approve_once" });
      const approved = await run(params, { approve: approver.approve });
      expect(exec(approved)).toMatchObject({ exit_code: 0, sandboxed: false });
      expect(await exists(target)).toBe(true);
    });

    it("on-failure: a sandbox denial offers an unsandboxed retry", async () => {
      const target = join(outsideDir, "retry.txt");
      const denier = recordingApprover({ type: "deny" });
      const denied = await run(
        { command: ["touch", target] },
        { approvalPolicy: "on-failure", approve: denier.approve },
      );
      expect(exec(denied)).toMatchObject({ sandboxed: true });
      expect(exec(denied).exit_code).not.toBe(0);
      expect(denied.ok && denied.output).toContain(
        "[running it again outside the sandbox was not approved]",
      );
      expect(denier.requests).toMatchObject([{ kind: "exec", sandboxed: false }]);

      const approver = recordingApprover({ type: "approve_once" });
      const approved = await run(
        { command: ["touch", target] },
        { approvalPolicy: "on-failure", approve: approver.approve },
      );
      expect(exec(approved)).toMatchObject({ exit_code: 0, sandboxed: false });
      expect(await exists(target)).toBe(true);
    });

    it("on-failure: an ordinary failure is returned without asking", async () => {
      const approver = recordingApprover({ type: "approve_once" });
      const result = await run(
        { command: ["sh", "-c", "echo failing test; exit 1"] },
        { approvalPolicy: "on-failure", approve: approver.approve },
      );
      expect(exec(result).exit_code).toBe(1);
      expect(approver.requests).toEqual([]);
    });

    it("never: never asks, escalation stays sandboxed, failures come back as they are", async () => {
      const target = join(outsideDir, "never.txt");
      const approver = recordingApprover({ type: "approve_once" });
      const result = await run(
        { command: ["touch", target], with_escalated_permissions: true },
        { approvalPolicy: "never", approve: approver.approve },
      );
      expect(exec(result)).toMatchObject({ sandboxed: true });
      expect(exec(result).exit_code).not.toBe(0);
      expect(approver.requests).toEqual([]);
      expect(await exists(target)).toBe(false);
    });
  });
});
