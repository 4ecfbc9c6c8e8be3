import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { startGateway, type GatewayProcess } from "./gateway-process.js";
import { runHedge } from "./run-hedge.js";

/** The vendor CLIs installed as devDependencies of @hedge/cli (native binaries behind npm shims). */
export const CODEX_BIN = fileURLToPath(new URL("../node_modules/.bin/codex", import.meta.url));
export const CLAUDE_BIN = fileURLToPath(new URL("../node_modules/.bin/claude", import.meta.url));

/** Generous: both binaries start slowly; the limit only keeps a stuck tool from hanging the run. */
export const TOOL_RUN_LIMIT_MS = 150_000;

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a vendor CLI with exactly `env` (nothing inherited but PATH, so no real key or home
 * leaks in), stdin closed, and kills it if it outlives `TOOL_RUN_LIMIT_MS`.
 */
export function runTool(
  bin: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd: string },
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: options.cwd,
      env: { PATH: process.env["PATH"], NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const killer = setTimeout(() => child.kill("SIGKILL"), TOOL_RUN_LIMIT_MS);
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end();
  });
}

/** Creates a gateway key in `home` with the real `hedge gateway key create --json`. */
export async function createGatewayKey(home: string): Promise<string> {
  const run = await runHedge(["gateway", "key", "create", "--name", "interop", "--json"], {
    env: { HEDGE_HOME: home },
  });
  if (run.code !== 0) throw new Error(`gateway key create failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { key: string }).key;
}

/**
 * `$HEDGE_HOME/config.toml` with two providers on the scripted upstream: `anth` speaks
 * Anthropic Messages, `oai` speaks Chat Completions.
 */
export function writeInteropConfig(home: string, upstream: ScriptedUpstream): void {
  writeFileSync(
    join(home, "config.toml"),
    [
      "[providers.anth]",
      'type = "anthropic"',
      `base_url = "${upstream.url}/v1"`,
      "[providers.oai]",
      'type = "openai-compatible"',
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
      "",
    ].join("\n"),
  );
}

/** The exit status and both outputs, for an assertion message that explains a failure. */
export function describeRun(run: ToolRun): string {
  return `exit ${String(run.code)} (${String(run.signal)})\nstdout:\n${run.stdout.slice(-4000)}\nstderr:\n${run.stderr.slice(-4000)}`;
}

/** What an interop suite runs against: a scripted upstream behind `hedge gateway serve`. */
export interface InteropGateway {
  upstream: ScriptedUpstream;
  home: TempHome;
  gateway: GatewayProcess;
  /** A gateway key the vendor CLI authenticates with. */
  gatewayKey: string;
}

/**
 * Starts the upstream, a HEDGE_HOME routing `anth/…` and `oai/…` to it, a gateway key and the
 * gateway before the suite, resets the script before each test and stops everything after.
 */
export function useInteropGateway(): InteropGateway {
  const state = {} as InteropGateway;
  beforeAll(async () => {
    state.upstream = await startScriptedUpstream();
    state.home = await makeTempHome();
    writeInteropConfig(state.home.path, state.upstream);
    state.gatewayKey = await createGatewayKey(state.home.path);
    state.gateway = await startGateway({ HEDGE_HOME: state.home.path });
  });
  afterAll(async () => {
    await state.gateway.stop();
    await state.upstream.close();
    await state.home.cleanup();
  });
  beforeEach(() => state.upstream.reset());
  return state;
}
