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
import { runHedge, runProcess, type ProcessRun } from "./run-hedge.js";

/** The vendor CLIs installed as devDependencies of @hedge/cli (native binaries behind npm shims). */
export const CODEX_BIN = fileURLToPath(new URL("../node_modules/.bin/codex", import.meta.url));
export const CLAUDE_BIN = fileURLToPath(new URL("../node_modules/.bin/claude", import.meta.url));

/** Generous: both binaries start slowly; the limit only keeps a stuck tool from hanging the run. */
export const TOOL_RUN_LIMIT_MS = 150_000;

export type ToolRun = ProcessRun;

/**
 * Runs a vendor CLI with exactly `env` (nothing inherited but PATH, so no real key or home
 * leaks in), stdin closed, and kills it if it outlives `TOOL_RUN_LIMIT_MS`.
 */
export function runTool(
  bin: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd: string },
): Promise<ToolRun> {
  return runProcess(bin, args, { ...options, limitMs: TOOL_RUN_LIMIT_MS });
}

/** Creates a gateway key in `home` with the real `hedge gateway key create --json`. */
export async function createGatewayKey(home: string): Promise<string> {
  const run = await runHedge(["gateway", "key", "create", "--name", "interop", "--json"], {
    env: { HEDGE_HOME: home },
  });
  if (run.code !== 0) throw new Error(`gateway key create failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { key: string }).key;
}

/** Providers on the scripted upstream, by the wire each speaks. */
const INTEROP_PROVIDERS = {
  /** Anthropic Messages. */
  anth: ['type = "anthropic"'],
  /** Chat Completions. */
  oai: ['type = "openai-compatible"', 'wire = "chat"'],
  /** Responses. */
  resp: ['type = "openai-compatible"', 'wire = "responses"'],
} as const;

export type InteropProvider = keyof typeof INTEROP_PROVIDERS;

/** `$HEDGE_HOME/config.toml` with `providers` (default `anth` and `oai`) on the scripted upstream. */
export function writeInteropConfig(
  home: string,
  upstream: ScriptedUpstream,
  providers: readonly InteropProvider[] = ["anth", "oai"],
): void {
  writeFileSync(
    join(home, "config.toml"),
    [
      ...providers.flatMap((id) => [
        `[providers.${id}]`,
        ...INTEROP_PROVIDERS[id],
        `base_url = "${upstream.url}/v1"`,
      ]),
      "",
    ].join("\n"),
  );
}

/** The exit status and both outputs, for an assertion message that explains a failure. */
export function describeRun(run: ToolRun): string {
  return `exit ${String(run.code)} (${String(run.signal)})\nstdout:\n${run.stdout.slice(-4000)}\nstderr:\n${run.stderr.slice(-4000)}`;
}

/** A scripted upstream behind `hedge gateway serve`. */
export interface ScriptedGateway {
  upstream: ScriptedUpstream;
  home: TempHome;
  gateway: GatewayProcess;
}

/** What an interop suite runs against: the scripted gateway and a key for the vendor CLI. */
export interface InteropGateway extends ScriptedGateway {
  /** A gateway key the vendor CLI authenticates with. */
  gatewayKey: string;
}

/**
 * Starts the upstream, a HEDGE_HOME routing `providers` to it and the gateway before the suite,
 * resets the script before each test and stops everything after. `prepare` runs on the home
 * before the gateway starts; what it returns joins the suite's state.
 */
export function useScriptedGateway<Extra extends object = Record<never, never>>(
  options: {
    providers?: readonly InteropProvider[];
    prepare?: (home: string) => Promise<Extra>;
  } = {},
): ScriptedGateway & Extra {
  const state = {} as ScriptedGateway & Extra;
  beforeAll(async () => {
    state.upstream = await startScriptedUpstream();
    state.home = await makeTempHome();
    writeInteropConfig(state.home.path, state.upstream, options.providers);
    if (options.prepare) Object.assign(state, await options.prepare(state.home.path));
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

/** The scripted gateway routing `anth/…` and `oai/…`, with a gateway key for the vendor CLI. */
export function useInteropGateway(): InteropGateway {
  return useScriptedGateway({
    prepare: async (home) => ({ gatewayKey: await createGatewayKey(home) }),
  });
}

/** `$CODEX_HOME/config.toml`: the gateway as the only model provider, nothing else online. */
export function codexConfig(gatewayUrl: string, features: readonly string[] = []): string {
  return [
    'model_provider = "hedge"',
    "check_for_update_on_startup = false",
    "[analytics]",
    "enabled = false",
    "[features]",
    "plugins = false",
    "apps = false",
    ...features,
    "[model_providers.hedge]",
    'name = "hedge gateway"',
    `base_url = "${gatewayUrl}/v1"`,
    'wire_api = "responses"',
    'env_key = "HEDGE_GATEWAY_KEY"',
    // Each scripted reply serves one request: a hidden retry would consume the next one.
    "request_max_retries = 0",
    "stream_max_retries = 0",
    "supports_websockets = false",
    "",
  ].join("\n");
}
