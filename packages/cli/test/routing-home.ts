import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  makeTempDir,
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { runHedge, type HedgeRun } from "./run-hedge.js";

export interface Setup {
  home: TempHome;
  upstream: ScriptedUpstream;
  /** What a hedge process of this setup runs with. */
  env: NodeJS.ProcessEnv;
  cwd: string;
  hedge: (args: readonly string[], input?: string) => Promise<HedgeRun>;
}

/**
 * A HEDGE_HOME routing `lab/*` to a scripted upstream (Chat wire), QA off, no retries; `config`
 * goes before the provider's table, `provider` into it. Cleanups go onto `stops`.
 */
export async function setup(
  stops: (() => Promise<void>)[],
  config: string[],
  options: { env?: Record<string, string>; provider?: string[] } = {},
): Promise<Setup> {
  const upstream = await startScriptedUpstream();
  const home = await makeTempHome();
  const cwd = await makeTempDir("hedge-cwd-");
  stops.push(
    () => upstream.close(),
    () => home.cleanup(),
    () => cwd.cleanup(),
  );
  writeFileSync(
    join(home.path, "config.toml"),
    [
      'credentials_store = "file"',
      ...config,
      "[qa]",
      "enabled = false",
      "[routing.retry]",
      "same_route = 0",
      "[providers.lab]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
      ...(options.provider ?? []),
    ].join("\n"),
  );
  const env = { ...home.env, HOME: home.path, ...options.env };
  return {
    home,
    upstream,
    env,
    cwd: cwd.path,
    hedge: (args, input) =>
      runHedge(args, { env, cwd: cwd.path, ...(input === undefined ? {} : { input }) }),
  };
}

/** `hedge exec` of one prompt on `model`, outside a git repository. */
export const exec = (model: string, ...flags: string[]): string[] => [
  "exec",
  "--skip-git-repo-check",
  ...flags,
  "-m",
  model,
  "hi",
];

/** `hedge gateway status --json`, parsed. */
export interface GatewayStatus {
  recent: { requests: number; failed: number; cancelled: number };
  cooldowns: {
    route: string;
    scope: string;
    model?: string;
    kind: string;
    mark: boolean;
    reason: string;
    until: string;
  }[];
  breakers: {
    route: string;
    state: string;
    consecutive_failures: number;
    cause?: string;
    until?: string;
  }[];
  recent_errors: { route: string; provider?: string; status?: number; outcome: string }[];
}

export async function gatewayStatus(s: Setup): Promise<GatewayStatus> {
  const shown = await s.hedge(["gateway", "status", "--json"]);
  if (shown.code !== 0) throw new Error(`gateway status failed: ${shown.stderr}`);
  return JSON.parse(shown.stdout) as GatewayStatus;
}
