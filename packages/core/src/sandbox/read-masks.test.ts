import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveDenyRead } from "../tools/read-guard.js";
import { shellTool } from "../tools/shell.js";
import { makeContext, makeOutsideDir, makeTempDir, removeDir } from "../tools/test-support.js";
import type { SandboxMode, ToolResult } from "../tools/tool.js";

// Real bubblewrap: denied paths are invisible to sandboxed commands, wherever they lie.

const SECRET = "PRIVATE-KEY-MATERIAL";
let workspace: string;
/** Outside the workspace and outside /tmp: a fake user home. */
let home: string;
let denyRead: string[];

beforeEach(async () => {
  workspace = await makeTempDir({ "src/a.txt": "public\n", "private/plan.txt": `${SECRET}\n` });
  home = await makeOutsideDir(".hedge-masks-test-");
  await mkdir(join(home, ".ssh"));
  await writeFile(join(home, ".ssh", "id_rsa"), `${SECRET}\n`);
  await writeFile(join(home, ".netrc"), `password ${SECRET}\n`);
  await mkdir(join(home, "hedge-home", "credentials"), { recursive: true });
  await writeFile(join(home, "hedge-home", "credentials", "credentials.json"), SECRET);
  await symlink(join(home, ".ssh", "id_rsa"), join(workspace, "key.txt"));
  denyRead = resolveDenyRead(
    [
      join(home, "hedge-home"),
      // Nested in another denied path: must not break the sandbox.
      join(home, "hedge-home", "credentials", "credentials.json"),
      join(workspace, "private"),
    ],
    home,
  );
});
afterEach(async () => {
  await removeDir(workspace);
  await removeDir(home);
});

const run = (command: string, sandboxMode: SandboxMode): Promise<ToolResult> =>
  shellTool.execute(
    { command: ["sh", "-c", command] },
    makeContext(workspace, { sandboxMode, approvalPolicy: "never", denyRead }),
  );
const output = (result: ToolResult): string => {
  if (!result.ok || result.metadata?.kind !== "exec")
    throw new Error(`not an exec result: ${JSON.stringify(result)}`);
  return result.metadata.aggregated_output;
};

describe.each(["workspace-write", "read-only"] as const)("sandbox masks (%s)", (mode) => {
  it("shows denied directories empty and denied files empty, also through a symlink", async () => {
    const seen = output(
      await run(
        [
          `ls -A ${join(home, ".ssh")} ${join(home, "hedge-home")}`,
          `cat ${join(home, ".netrc")} key.txt ${join(home, ".ssh", "id_rsa")} 2>&1`,
          `cat ${join(home, "hedge-home", "credentials", "credentials.json")} 2>&1`,
          "echo end",
        ].join("; "),
        mode,
      ),
    );
    expect(seen).not.toContain(SECRET);
    expect(seen).toContain("No such file");
    expect(seen).toContain("end");
  });

  it("hides a denied directory inside the workspace and keeps writes out of it", async () => {
    const seen = output(
      await run(
        "ls -A private; cat private/plan.txt; echo changed > private/plan.txt; echo end",
        mode,
      ),
    );
    expect(seen).not.toContain(SECRET);
    expect(seen).toContain("end");
    expect(await readFile(join(workspace, "private", "plan.txt"), "utf8")).toBe(`${SECRET}\n`);
  });

  it("leaves everything else readable", async () => {
    expect(output(await run(`cat src/a.txt`, mode))).toBe("public\n");
  });
});

describe("sandbox masks of secret sockets", () => {
  it("a sandboxed command cannot reach the session bus (the keychain), the ssh agent or the runtime dir", async () => {
    const runtime = join(home, "run");
    await mkdir(runtime);
    const sockets = {
      bus: join(home, "dbus-session"),
      agent: join(home, "ssh-agent.sock"),
      keyring: join(runtime, "keyring"),
    };
    const servers = Object.values(sockets).map((path) =>
      createServer((socket) => socket.end(`${SECRET}\n`)).listen(path),
    );
    try {
      const env = {
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${sockets.bus},guid=0123`,
        SSH_AUTH_SOCK: sockets.agent,
        XDG_RUNTIME_DIR: runtime,
      };
      const connect = (path: string): string =>
        `${process.execPath} -e 'require("net").connect(${JSON.stringify(path)}).on("data", (d) => process.stdout.write(String(d))).on("error", (e) => console.log(e.code))'`;
      const script = Object.values(sockets).map(connect).join("; ");
      const open = output(await run(script, "workspace-write"));
      // The servers answer when nothing is masked (the test is able to see a leak).
      expect(open).toContain(SECRET);
      denyRead = resolveDenyRead([], home, env);
      const masked = output(await run(script, "workspace-write"));
      expect(masked).not.toContain(SECRET);
      expect(masked.split("\n").filter(Boolean)).toHaveLength(3);
    } finally {
      for (const server of servers) server.close();
    }
  });
});
