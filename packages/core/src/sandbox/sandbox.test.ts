import { mkdir, readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { shellTool } from "../tools/shell.js";
import { makeContext, makeOutsideDir, makeTempDir, removeDir } from "../tools/test-support.js";
import type { SandboxMode, ToolContext, ToolResult } from "../tools/tool.js";

// Real bubblewrap, real processes: what a sandboxed command can and cannot do.

let workspace: string;
let outsideDir: string;
let server: Server;
let port: number;

beforeAll(async () => {
  // A TCP server on the host's loopback: with --unshare-net the sandbox has its own (down)
  // loopback, so reaching this server is the proof that the network is shared. No external network.
  server = createServer((socket) => socket.end("hello\n"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  port = typeof address === "object" && address !== null ? address.port : 0;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  workspace = await makeTempDir();
  // Outside the workspace and outside /tmp (workspace-write keeps /tmp writable, like Codex).
  outsideDir = await makeOutsideDir(".hedge-sandbox-test-");
});
afterEach(async () => {
  await removeDir(workspace);
  await removeDir(outsideDir);
});

const run = (
  command: string[],
  sandboxMode: SandboxMode,
  overrides: Partial<ToolContext> = {},
): Promise<ToolResult> =>
  shellTool.execute(
    { command },
    makeContext(workspace, { sandboxMode, approvalPolicy: "never", ...overrides }),
  );
const exitCode = (result: ToolResult): number => {
  if (!result.ok || result.metadata?.kind !== "exec")
    throw new Error(`not an exec result: ${JSON.stringify(result)}`);
  return result.metadata.exit_code;
};
const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );
const connectScript = (): string[] => [
  process.execPath,
  "-e",
  `require("net").connect(${port}, "127.0.0.1").on("data", () => process.exit(0)).on("error", (e) => { console.error(e.code); process.exit(3); })`,
];

describe("sandbox", () => {
  it("workspace-write with a private /tmp: a note left in /tmp reaches neither the host's /tmp nor another private one, and the workspace under /tmp stays writable", async () => {
    const mine = await makeOutsideDir(".hedge-private-tmp-a-");
    const theirs = await makeOutsideDir(".hedge-private-tmp-b-");
    const note = `hedge-note-${process.pid}-${Date.now()}`;
    try {
      const write = await run(
        ["sh", "-c", `echo secret > /tmp/${note} && echo ok > in-workspace.txt`],
        "workspace-write",
        { privateTmp: mine },
      );
      expect(exitCode(write)).toBe(0);
      expect(await readFile(join(mine, note), "utf8")).toBe("secret\n");
      expect(await exists(join("/tmp", note))).toBe(false);
      // The workspace (itself under the host's /tmp) is still the real one, writable.
      expect(await readFile(join(workspace, "in-workspace.txt"), "utf8")).toBe("ok\n");
      const read = await run(["sh", "-c", `cat /tmp/${note}`], "workspace-write", {
        privateTmp: theirs,
      });
      expect(exitCode(read)).not.toBe(0);
    } finally {
      await removeDir(mine);
      await removeDir(theirs);
    }
  });

  it("workspace-write: writes inside the workspace, not outside; no network", async () => {
    expect(exitCode(await run(["sh", "-c", "echo ok > inside.txt"], "workspace-write"))).toBe(0);
    expect(await readFile(join(workspace, "inside.txt"), "utf8")).toBe("ok\n");

    const outside = join(outsideDir, "x");
    const write = await run(["sh", "-c", `touch ${outside}`], "workspace-write");
    expect(exitCode(write)).not.toBe(0);
    expect(write.ok && write.output).toContain("Read-only file system");
    expect(await exists(outside)).toBe(false);

    const network = await run(connectScript(), "workspace-write");
    expect(exitCode(network)).toBe(3);
  });

  it("workspace-write with network = true reaches the host", async () => {
    expect(exitCode(await run(connectScript(), "workspace-write", { network: true }))).toBe(0);
  });

  it("workspace-write keeps .git read-only and honours extra writable roots", async () => {
    await mkdir(join(workspace, ".git"));
    expect(exitCode(await run(["touch", ".git/config"], "workspace-write"))).not.toBe(0);
    expect(await exists(join(workspace, ".git/config"))).toBe(false);

    const target = join(outsideDir, "added.txt");
    expect(
      exitCode(await run(["touch", target], "workspace-write", { writableRoots: [outsideDir] })),
    ).toBe(0);
    expect(await exists(target)).toBe(true);
  });

  it("danger-full-access: writing outside and the network both work", async () => {
    const outside = join(outsideDir, "x");
    expect(exitCode(await run(["touch", outside], "danger-full-access"))).toBe(0);
    expect(await exists(outside)).toBe(true);
    expect(exitCode(await run(connectScript(), "danger-full-access"))).toBe(0);
  });

  it("read-only: nothing is writable but a private /tmp", async () => {
    expect(exitCode(await run(["touch", "inside.txt"], "read-only"))).not.toBe(0);
    expect(await exists(join(workspace, "inside.txt"))).toBe(false);
    expect(exitCode(await run(["cat", "/proc/self/status"], "read-only"))).toBe(0);
    const marker = `/tmp/hedge-private-${process.pid}-${Date.now()}`;
    expect(
      exitCode(await run(["sh", "-c", `echo x > ${marker} && cat ${marker}`], "read-only")),
    ).toBe(0);
    expect(await exists(marker)).toBe(false);
  });

  it("fails clearly when bubblewrap is missing and does not run the command", async () => {
    const marker = join(workspace, "ran.txt");
    const result = await run(["touch", marker], "workspace-write", {
      bwrapPath: "/nonexistent/bwrap",
    });
    expect(result).toEqual({
      ok: false,
      error: {
        type: "sandbox_unavailable",
        message: expect.stringContaining(
          "install bubblewrap: apt-get install bubblewrap",
        ) as string,
      },
    });
    expect(await exists(marker)).toBe(false);
  });
});
