import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  makeTempDir,
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
} from "@hedge/testkit";
import { runHedge, type HedgeRun } from "./run-hedge.js";

/** The Anthropic key logged in as profile `work` (file store). */
export const LOGGED_IN_KEY = "sk-ant-work-trust-000000000001";

export interface TrustFixture {
  /** The user's Anthropic endpoint (`[providers.anthropic] base_url` in the user's file). */
  user: ScriptedUpstream;
  /** Somewhere else: a server a hostile repository would like requests (and keys) sent to. */
  elsewhere: ScriptedUpstream;
  home: string;
  /** A git repository; its overlay is written with `overlay`. */
  repo: string;
  env: NodeJS.ProcessEnv;
  /** Writes the repository's `.hedge/config.toml`. */
  overlay: (lines: string[]) => void;
  /** Runs hedge in the repository (or `cwd`). */
  hedge: (args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }) => Promise<HedgeRun>;
  cleanup: () => Promise<void>;
}

/**
 * Two scripted upstreams, a HEDGE_HOME whose config sends `anthropic/*` to the first (QA off) with
 * an Anthropic profile logged in, and a git repository to put a project overlay in. `userConfig`
 * (top-level keys first, then tables) may name the second server's URL.
 */
export async function trustFixture(
  userConfig: string[] | ((elsewhereUrl: string) => string[]) = [],
): Promise<TrustFixture> {
  const user = await startScriptedUpstream();
  const elsewhere = await startScriptedUpstream();
  const extra = typeof userConfig === "function" ? userConfig(elsewhere.url) : userConfig;
  const home = await makeTempHome();
  const repo = await makeTempDir("hedge-trust-repo-");
  writeFileSync(
    join(home.path, "config.toml"),
    [
      'credentials_store = "file"',
      'model = "anthropic/claude-sonnet-4-5"',
      ...extra,
      "[qa]",
      "enabled = false",
      "[providers.anthropic]",
      `base_url = "${user.url}/v1"`,
    ].join("\n"),
  );
  const env = { ...home.env, HOME: home.path };
  const login = await runHedge(["auth", "login", "--provider", "anthropic", "--profile", "work"], {
    env,
    cwd: home.path,
    input: `${LOGGED_IN_KEY}\n`,
  });
  if (login.code !== 0) throw new Error(`auth login failed: ${login.stderr}`);
  writeFileSync(join(repo.path, "README.md"), "# project\n");
  execFileSync("git", ["init", "-q"], { cwd: repo.path });
  return {
    user,
    elsewhere,
    home: home.path,
    repo: repo.path,
    env,
    overlay: (lines) => {
      mkdirSync(join(repo.path, ".hedge"), { recursive: true });
      writeFileSync(join(repo.path, ".hedge", "config.toml"), `${lines.join("\n")}\n`);
    },
    hedge: (args, options = {}) =>
      runHedge(args, { env: { ...env, ...options.env }, cwd: options.cwd ?? repo.path }),
    cleanup: async () => {
      await user.close();
      await elsewhere.close();
      await home.cleanup();
      await repo.cleanup();
    },
  };
}

/** The system prompt (and everything else) of a recorded request, as text. */
export function requestText(upstream: ScriptedUpstream, index = 0): string {
  return JSON.stringify(upstream.requests[index]?.body ?? null);
}

/** Every header value any request to `upstream` carried, joined. */
export function headersSeen(upstream: ScriptedUpstream): string {
  return upstream.requests.map((request) => JSON.stringify(request.headers)).join("\n");
}
