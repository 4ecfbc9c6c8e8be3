import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  openAiRateLimitHeaders,
  startScriptedUpstream,
  type ScriptedUpstream,
} from "@hedge/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { HEDGE_BIN, groupMembers, initRepo, makeHome, waitFor, type Home } from "./harness.js";

// The real codex CLI (a devDependency of @hedge/cli) driven by the daemon: through hedge's
// gateway with a per-run key (`--via-gateway`), and under the profile with the most headroom.
const VENDOR_BIN = fileURLToPath(new URL("../../cli/node_modules/.bin", import.meta.url));
const LIMIT_MS = 150_000;
const GATEWAY_KEY = /hk-[A-Za-z0-9_-]{32}/g;

let home: Home;
let upstream: ScriptedUpstream;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
  await home?.cleanup();
  await upstream?.close();
});

const daemonPath = (): string => `${VENDOR_BIN}${delimiter}${process.env["PATH"] ?? ""}`;

/** `hedge gateway serve --port 0` for the home; resolves with its URL once it listens. */
function startGateway(env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [HEDGE_BIN, "gateway", "serve", "--port", "0"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  stops.push(
    () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  );
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`gateway exited ${code}: ${stderr}`)));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
  });
}

/** The variables of every live process in group `pgid`, as a hostile agent reads them from /proc. */
function groupEnvironments(pgid: number): string {
  return groupMembers(pgid)
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").join("\n");
      } catch {
        return "";
      }
    })
    .join("\n");
}

/** `hedge auth login --provider openai --profile NAME` with the key `key-NAME` on stdin. */
function loginWithKey(at: Home, name: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    [HEDGE_BIN, "auth", "login", "--provider", "openai", "--profile", name],
    { cwd: at.work, env: at.env, stdio: ["pipe", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end(`key-${name}\n`);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

/** Codex's own config: no update check, analytics, plugins or apps (nothing online). */
function codexConfig(lines: readonly string[]): string {
  return [
    ...lines,
    "check_for_update_on_startup = false",
    "[analytics]",
    "enabled = false",
    "[features]",
    "plugins = false",
    "apps = false",
    "",
  ].join("\n");
}

function repoIn(work: string): string {
  const repo = join(work, "repo");
  mkdirSync(repo);
  writeFileSync(join(repo, "a.txt"), "a\n");
  initRepo(repo);
  return repo;
}

describe("--agent codex --via-gateway: the real codex through hedge's gateway with a run key", () => {
  it(
    "records the gateway's tokens and $ on the run; the agent's key is models-only, revoked after, and in no log or output",
    { timeout: LIMIT_MS + 60_000 },
    async () => {
      upstream = await startScriptedUpstream();
      home = await makeHome(
        [
          'credentials_store = "file"',
          "[providers.oai]",
          'type = "openai-compatible"',
          'wire = "chat"',
          `base_url = "${upstream.url}/v1"`,
          'prices = { "model-x" = { input = 2, output = 10 } }',
          "",
        ].join("\n"),
      );
      const repo = repoIn(home.work);
      // The user's own key: the gateway already requires keys, so a run's key changes nothing.
      const mine = await home.hedge(["gateway", "key", "create", "--name", "me", "--json"]);
      expect(mine.code, mine.stderr).toBe(0);
      const userKey = (JSON.parse(mine.stdout) as { key: string }).key;

      const codexHome = join(home.work, "codex-home");
      mkdirSync(codexHome);
      writeFileSync(join(codexHome, "config.toml"), codexConfig(['model = "oai/model-x"']));
      const env = { PATH: daemonPath(), CODEX_HOME: codexHome };
      const verifyEnv = join(home.work, "verify-env.txt");
      const added = await home.hedge(
        [
          "loop",
          "add",
          "cx",
          "--agent",
          "codex",
          "--via-gateway",
          "--cwd",
          repo,
          "--env",
          "CODEX_HOME",
          // The repository's own check: it prints what it can see.
          "--verify",
          `/bin/sh -c 'env > ${verifyEnv}'`,
          "--",
          "fix everything",
        ],
        { env },
      );
      expect(added.code, added.stderr).toBe(0);
      // No gateway yet: loop add says so in one line, with the next step.
      expect(added.stderr).toContain("no hedge gateway is running for this home");
      expect(added.stderr).toContain("hedge gateway serve");

      const gateway = await startGateway({ ...home.env, NO_COLOR: "1" });
      // The reply is held back a while: the run is alive when the test looks at its processes.
      upstream.push({
        text: "Everything is fixed.",
        usage: { inputTokens: 1000, outputTokens: 200 },
        latencyMs: 6000,
      });
      // A key a daemon that died mid-run left behind: the next daemon revokes it at start.
      const stale = await home.hedge(["gateway", "key", "create", "--name", "loop-run-run_gone"]);
      expect(stale.code, stale.stderr).toBe(0);
      await home.startDaemon({ env });
      await home.hedge(["loop", "run", "cx"]);

      await waitFor("codex's model call", () => upstream.requests.length > 0, LIMIT_MS);
      const running = home.runs("cx")[0];
      expect(running?.status).toBe("running");
      const seen = groupEnvironments(running?.pgid ?? -1);
      const keys = [...new Set(seen.match(GATEWAY_KEY) ?? [])];
      // The agent can read exactly one gateway key: its run's, not the user's.
      expect(keys).toHaveLength(1);
      const runKey = keys[0]!;
      expect(runKey).not.toBe(userKey);
      expect(seen).toContain(`HEDGE_GATEWAY_KEY=${runKey}`);
      // It may call models and nothing else.
      const dashboard = await fetch(`${gateway}/dashboard/api/snapshot`, {
        headers: { authorization: `Bearer ${runKey}` },
      });
      expect(dashboard.status).toBe(403);

      const run = await waitFor(
        "the codex run",
        () => home.runs("cx").find((r) => r.endedAtMs !== null),
        LIMIT_MS,
      );
      const log = readFileSync(run.logPath!, "utf8");
      expect(run, log).toEqual(
        expect.objectContaining({
          status: "succeeded",
          exitCode: 0,
          inputTokens: 1000,
          outputTokens: 200,
          profile: null,
        }),
      );
      // $ comes from the gateway's price table for this run's calls (codex reports none).
      expect(run.costUsd).toBeCloseTo((1000 * 2 + 200 * 10) / 1e6, 9);
      expect(run.profileReason).toContain("via the gateway");
      // The upstream was reached through the gateway, never with the run's key.
      expect(JSON.stringify(upstream.requests[0]?.body)).toContain("fix everything");
      expect(JSON.stringify(upstream.requests[0]?.headers)).not.toContain(runKey);

      // Revoked once the run ended.
      await waitFor(
        "the run key to be refused",
        async () =>
          (await fetch(`${gateway}/v1/models`, { headers: { authorization: `Bearer ${runKey}` } }))
            .status === 401,
        5000,
      );
      const listed = await home.hedge(["gateway", "key", "list", "--json"]);
      expect((JSON.parse(listed.stdout) as { name: string }[]).map((k) => k.name)).toEqual(["me"]);

      // The key is nowhere the user or the repository can see it.
      expect(readFileSync(verifyEnv, "utf8")).not.toMatch(GATEWAY_KEY);
      expect(log).not.toContain(runKey);
      for (const args of [
        ["loop", "show", "cx"],
        ["loop", "show", "cx", "--json"],
        ["loop", "runs", "--json"],
        ["loop", "logs", run.id],
      ]) {
        const shown = await home.hedge(args);
        expect(shown.code, shown.stderr).toBe(0);
        expect(shown.stdout + shown.stderr).not.toContain(runKey);
      }
      const runs = await home.hedge(["loop", "runs", "cx"]);
      expect(runs.stdout).toContain("1000/200 tok");
      for (const file of ["loops.db", "loops.db-wal"]) {
        const path = join(home.home, file);
        if (existsSync(path)) expect(readFileSync(path, "latin1")).not.toContain(runKey);
      }
    },
  );
});

describe("--agent codex without --profile: the profile with the most headroom", () => {
  it(
    "runs codex as hedge auth exec would under that profile and records the choice and why",
    { timeout: LIMIT_MS + 60_000 },
    async () => {
      upstream = await startScriptedUpstream();
      home = await makeHome(
        [
          'credentials_store = "file"',
          "[providers.openai]",
          `base_url = "${upstream.url}/v1"`,
          "",
        ].join("\n"),
      );
      const repo = repoIn(home.work);
      for (const name of ["a", "b"]) {
        const login = await loginWithKey(home, name);
        expect(login.code, login.stderr).toBe(0);
      }
      // Two calls through the gateway: the first profile's answer says 5 of 100 requests are
      // left, so the second call moves to the other, which has 90 left.
      const gateway = await startGateway({ ...home.env, NO_COLOR: "1" });
      const remaining = (left: number): Record<string, string> =>
        openAiRateLimitHeaders({ requests: { limit: 100, remaining: left, resetMs: 600_000 } });
      upstream.push(
        { text: "one", headers: remaining(5) },
        { text: "two", headers: remaining(90) },
      );
      for (let call = 0; call < 2; call += 1) {
        const answer = await fetch(`${gateway}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: "openai/model-x",
            messages: [{ role: "user", content: "hi" }],
          }),
        });
        expect(answer.status).toBe(200);
      }
      // The gateway writes usage snapshots coalesced (every few hundred ms): wait until both
      // answers are in the store before reading them.
      let left: Record<string, number> = {};
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const usage = await home.hedge(["usage", "--json"]);
        const report = JSON.parse(usage.stdout) as {
          profiles: { profile: string; left: number }[];
        };
        left = Object.fromEntries(report.profiles.map((p) => [p.profile, p.left]));
        if ((left["a"] ?? 1) < 1 && (left["b"] ?? 1) < 1) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const [best, worst] = (left["a"] ?? 0) > (left["b"] ?? 0) ? ["a", "b"] : ["b", "a"];
      expect(left[best]).toBe(0.9);
      expect(left[worst]).toBe(0.05);

      // Codex, run as `hedge auth exec PROFILE`, reads its key from OPENAI_API_KEY (its home is
      // the user's: auth exec removes CODEX_HOME).
      mkdirSync(join(home.home, ".codex"));
      writeFileSync(
        join(home.home, ".codex", "config.toml"),
        codexConfig([
          'model_provider = "lab"',
          'model = "model-x"',
          "[model_providers.lab]",
          'name = "lab"',
          `base_url = "${upstream.url}/v1"`,
          'wire_api = "responses"',
          'env_key = "OPENAI_API_KEY"',
          "request_max_retries = 0",
          "stream_max_retries = 0",
          "supports_websockets = false",
        ]),
      );
      upstream.reset();
      upstream.push({ text: "Done.", usage: { inputTokens: 12, outputTokens: 3 } });
      const env = { PATH: daemonPath() };
      const added = await home.hedge(
        ["loop", "add", "cx", "--agent", "codex", "--cwd", repo, "--", "tidy up"],
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
        expect.objectContaining({ status: "succeeded", exitCode: 0, profile: best }),
      );
      expect(run.profileReason).toBe(`most headroom: 90% left (${worst} 5%)`);
      // The model call carried the chosen profile's key, as `hedge auth exec` sets it.
      expect(upstream.requests.at(-1)?.headers["authorization"]).toBe(`Bearer key-${best}`);
      const shown = await home.hedge(["loop", "runs", "cx"]);
      expect(shown.stdout).toContain(`profile ${best} (most headroom: 90% left`);
    },
  );
});

describe("--agent claude --via-gateway: the real claude -p through hedge's gateway", () => {
  it(
    "records every call's tokens and the gateway's $ on the run, not claude's own estimate",
    { timeout: LIMIT_MS + 60_000 },
    async () => {
      upstream = await startScriptedUpstream();
      home = await makeHome(
        [
          'credentials_store = "file"',
          "[providers.anth]",
          'type = "anthropic"',
          `base_url = "${upstream.url}/v1"`,
          'prices = { "model-x" = { input = 3, output = 15 }, "haiku-x" = { input = 1, output = 5 } }',
          "",
        ].join("\n"),
      );
      const repo = repoIn(home.work);
      const mine = await home.hedge(["gateway", "key", "create", "--name", "me"]);
      expect(mine.code, mine.stderr).toBe(0);
      await startGateway({ ...home.env, NO_COLOR: "1" });
      upstream.push(
        {
          match: { model: "haiku-x" },
          text: "title",
          usage: { inputTokens: 7, outputTokens: 2 },
          repeat: true,
        },
        {
          match: { model: "model-x" },
          text: "Done, all good.",
          usage: { inputTokens: 30, outputTokens: 4 },
        },
      );
      const env = {
        PATH: daemonPath(),
        ANTHROPIC_MODEL: "anth/model-x",
        ANTHROPIC_SMALL_FAST_MODEL: "anth/haiku-x",
        ANTHROPIC_DEFAULT_HAIKU_MODEL: "anth/haiku-x",
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
          "--agent",
          "claude",
          "--via-gateway",
          "--cwd",
          repo,
          ...names,
          "--",
          "say done",
        ],
        { env },
      );
      expect(added.code, added.stderr).toBe(0);
      // A gateway runs: loop add has nothing to warn about.
      expect(added.stderr).not.toContain("gateway");
      await home.startDaemon({ env });
      await home.hedge(["loop", "run", "cl"]);
      const run = await waitFor(
        "the claude run",
        () => home.runs("cl").find((r) => r.endedAtMs !== null),
        LIMIT_MS,
      );
      const log = readFileSync(run.logPath!, "utf8");
      expect(run, log).toEqual(expect.objectContaining({ status: "succeeded", exitCode: 0 }));
      const small = upstream.requests.filter(
        (request) => (request.body as { model?: string }).model === "haiku-x",
      ).length;
      const main = upstream.requests.length - small;
      expect(main).toBe(1);
      // Every call claude made through the gateway with its run key, priced by the gateway.
      expect(run.inputTokens).toBe(30 + 7 * small);
      expect(run.outputTokens).toBe(4 + 2 * small);
      expect(run.costUsd).toBeCloseTo((30 * 3 + 4 * 15 + small * (7 * 1 + 2 * 5)) / 1e6, 9);
    },
  );
});

describe("--via-gateway without a gateway to call", () => {
  it("loop add refuses the agents and flags it does not suit, in one line with a hint", async () => {
    home = await makeHome();
    const repo = repoIn(home.work);
    for (const [args, line] of [
      [["--agent", "hedge"], "--via-gateway applies to --agent codex or claude"],
      [["--agent", "gemini"], "the gateway does not speak Gemini's API"],
      [["--agent", "codex", "--profile", "a"], "--via-gateway and --profile do not combine"],
    ] as const) {
      const added = await home.hedge(
        ["loop", "add", "x", ...args, "--via-gateway", "--cwd", repo, "--", "do it"],
        { env: { PATH: daemonPath() } },
      );
      expect(added.code).toBe(2);
      expect(added.stderr).toContain(line);
      expect(added.stderr).not.toContain("    at ");
    }
  });

  it(
    "a run fails with the reason and no agent starts: no gateway running, or a gateway without keys",
    { timeout: 60_000 },
    async () => {
      upstream = await startScriptedUpstream();
      home = await makeHome();
      const repo = repoIn(home.work);
      const env = { PATH: daemonPath() };
      const added = await home.hedge(
        ["loop", "add", "cx", "--agent", "codex", "--via-gateway", "--cwd", repo, "--", "do it"],
        { env },
      );
      expect(added.code, added.stderr).toBe(0);
      await home.startDaemon({ env });
      await home.hedge(["loop", "run", "cx"]);
      const first = await waitFor("the run", () => home.runs("cx").find((r) => r.endedAtMs));
      expect(first).toMatchObject({
        status: "failed",
        reason: "no hedge gateway is running for this home",
        pid: null,
      });
      expect(readFileSync(first.logPath!, "utf8")).toContain("start one: hedge gateway serve");
      // Whatever a run printed, `loop logs` never shows a gateway key (a live follower included).
      const printed = `hk-${"Ab0_-".repeat(6)}zz`;
      appendFileSync(first.logPath!, `HEDGE_GATEWAY_KEY=${printed}\n`);
      const logs = await home.hedge(["loop", "logs", first.id]);
      expect(logs.stdout).toContain("HEDGE_GATEWAY_KEY=[redacted]");
      expect(logs.stdout).not.toContain(printed);

      // A keyless gateway: a run's key would lock out the user's keyless clients.
      await startGateway({ ...home.env, NO_COLOR: "1" });
      await home.hedge(["loop", "run", "cx"]);
      const second = await waitFor("the second run", () =>
        home.runs("cx").find((r) => r.endedAtMs && r.id !== first.id),
      );
      expect(second.status).toBe("failed");
      expect(second.reason).toContain("has no keys");
      const listed = await home.hedge(["gateway", "key", "list", "--json"]);
      expect(JSON.parse(listed.stdout)).toEqual([]);
    },
  );
});
