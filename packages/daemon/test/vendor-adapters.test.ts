import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startScriptedUpstream, type ScriptedUpstream } from "@hedge/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { initRepo, makeHome, waitFor, type Home } from "./harness.js";

/** The real vendor CLIs, devDependencies of @hedge/cli. */
const VENDOR_BIN = fileURLToPath(new URL("../../cli/node_modules/.bin", import.meta.url));
const LIMIT_MS = 150_000;

let home: Home;
let upstream: ScriptedUpstream;
afterEach(async () => {
  await home?.cleanup();
  await upstream?.close();
});

async function setup(): Promise<string> {
  upstream = await startScriptedUpstream();
  home = await makeHome();
  const repo = join(home.work, "repo");
  mkdirSync(repo);
  writeFileSync(join(repo, "a.txt"), "a\n");
  initRepo(repo);
  return repo;
}

const daemonPath = (): string => `${VENDOR_BIN}${delimiter}${process.env["PATH"] ?? ""}`;

describe("--agent codex: the real codex exec with its guard flags, on the scripted upstream (Responses)", () => {
  it(
    "accepts the flags, records usage, and decides by exit and verify, not by the text",
    { timeout: LIMIT_MS + 30_000 },
    async () => {
      const repo = await setup();
      const codexHome = join(home.work, "codex-home");
      mkdirSync(codexHome);
      writeFileSync(
        join(codexHome, "config.toml"),
        [
          'model_provider = "lab"',
          'model = "model-x"',
          "check_for_update_on_startup = false",
          "[analytics]",
          "enabled = false",
          "[features]",
          "plugins = false",
          "apps = false",
          "[model_providers.lab]",
          'name = "lab"',
          `base_url = "${upstream.url}/v1"`,
          'wire_api = "responses"',
          'env_key = "LAB_KEY"',
          "request_max_retries = 0",
          "stream_max_retries = 0",
          "supports_websockets = false",
          "",
        ].join("\n"),
      );
      upstream.push({ text: "Everything is fixed.", usage: { inputTokens: 40, outputTokens: 6 } });
      const env = { PATH: daemonPath(), CODEX_HOME: codexHome, LAB_KEY: "sk-lab-test" };
      const added = await home.hedge(
        [
          "loop",
          "add",
          "cx",
          "--every",
          "1h",
          "--agent",
          "codex",
          "--cwd",
          repo,
          "--env",
          "CODEX_HOME",
          "--env",
          "LAB_KEY",
          "--verify",
          "/bin/sh -c 'exit 4'",
          "--",
          "fix everything",
        ],
        { env },
      );
      expect(added.code, added.stderr).toBe(0);
      await home.startDaemon({ env });
      await home.hedge(["loop", "run", "cx"]);
      const run = await waitFor(
        "the codex run",
        () => home.runs("cx").find((r) => r.endedAtMs !== null),
        LIMIT_MS,
      );
      const log = readFileSync(run.logPath!, "utf8");
      expect(run, log).toEqual(
        expect.objectContaining({
          status: "failed",
          reason: "verify exit 4",
          exitCode: 0,
          outcome: "no_changes",
          inputTokens: 40,
          outputTokens: 6,
        }),
      );
      const body = JSON.stringify(upstream.requests[0]?.body);
      expect(body).toContain("fix everything");
      // Its sandbox is workspace-write, as the guard flags asked.
      expect(body).toContain("workspace-write");
    },
  );
});

describe("--agent claude: the real claude -p with its guard flags, on the scripted upstream (Messages)", () => {
  it(
    "accepts --max-turns, --max-budget-usd and stream-json, records usage and cost",
    { timeout: LIMIT_MS + 30_000 },
    async () => {
      const repo = await setup();
      upstream.push(
        { text: "Done, all good.", usage: { inputTokens: 30, outputTokens: 4 } },
        // Background calls (titles) take the repeating reply.
        { text: "title", repeat: true },
      );
      const env = {
        PATH: daemonPath(),
        ANTHROPIC_BASE_URL: upstream.url,
        ANTHROPIC_AUTH_TOKEN: "sk-ant-test",
        ANTHROPIC_MODEL: "model-x",
        ANTHROPIC_SMALL_FAST_MODEL: "haiku-x",
        ANTHROPIC_DEFAULT_HAIKU_MODEL: "haiku-x",
        CLAUDE_CONFIG_DIR: join(home.work, ".claude"),
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_AUTOUPDATER: "1",
      };
      const names = Object.keys(env)
        .filter((name) => name !== "PATH")
        .flatMap((name) => ["--env", name]);
      const added = await home.hedge(
        [
          "loop",
          "add",
          "cl",
          "--every",
          "1h",
          "--agent",
          "claude",
          "--cwd",
          repo,
          "--max-turns",
          "3",
          "--budget-usd",
          "0.5",
          ...names,
          "--",
          "say done",
        ],
        { env },
      );
      expect(added.code, added.stderr).toBe(0);
      await home.startDaemon({ env });
      await home.hedge(["loop", "run", "cl"]);
      const run = await waitFor(
        "the claude run",
        () => home.runs("cl").find((r) => r.endedAtMs !== null),
        LIMIT_MS,
      );
      const log = readFileSync(run.logPath!, "utf8");
      expect(run, log).toEqual(
        expect.objectContaining({ status: "succeeded", exitCode: 0, outcome: "no_changes" }),
      );
      expect(run.inputTokens, log).toBeGreaterThanOrEqual(30);
      expect(typeof run.costUsd).toBe("number");
      expect(log).toContain('"type":"result"');
    },
  );
});
