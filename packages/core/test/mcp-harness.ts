import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@hedge/testkit";
import { mcpServersSchema, mcpSettingsSchema } from "../src/mcp/config-schema.js";
import { createMcpManager } from "../src/mcp/start.js";
import type { McpServerManager } from "../src/mcp/server-manager.js";

const require = createRequire(import.meta.url);

/** A real server's entry point from npm (a devDependency), run with this node: no npx, no shell. */
export function serverEntry(pkg: "server-everything" | "server-filesystem"): string {
  return join(
    dirname(require.resolve(`@modelcontextprotocol/${pkg}/package.json`)),
    "dist/index.js",
  );
}

/** The hostile stdio server fixture. */
export const HOSTILE = fileURLToPath(new URL("./fixtures/hostile-mcp-server.mjs", import.meta.url));

/** `[mcp_servers.hostile]` running the fixture in `mode`. */
export function hostile(
  mode = "normal",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { command: process.execPath, args: [HOSTILE, mode], ...extra };
}

/** `[mcp_servers.everything]` over stdio. */
export function everything(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { command: process.execPath, args: [serverEntry("server-everything"), "stdio"], ...extra };
}

/** A manager for `servers` (raw config tables), not started yet. */
export function manager(
  servers: Record<string, unknown>,
  options: { settings?: Record<string, unknown>; hostEnv?: NodeJS.ProcessEnv; logDir: string },
): Promise<McpServerManager> {
  return createMcpManager({
    servers: mcpServersSchema.parse(servers),
    settings: mcpSettingsSchema.parse(options.settings ?? {}),
    logDir: options.logDir,
    hostEnv: options.hostEnv ?? { PATH: process.env["PATH"], HOME: process.env["HOME"] },
    clientInfo: { name: "hedge-test", version: "0" },
  });
}

/** The everything server over streamable HTTP on a loopback port; stop() ends it. */
export async function everythingOverHttp(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverEntry("server-everything"), "streamableHttp"], {
    env: { PATH: process.env["PATH"], PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    child.stderr.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes("listening")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`everything (http) exited ${code}: ${seen}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, stop: () => child.kill("SIGKILL") };
}

/** Whether a process is alive (a zombie waiting for its reaper is not). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
