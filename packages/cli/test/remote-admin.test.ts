// `hedge route explain|stats|usage|gateway status --gateway URL` and `hedge qa --gateway URL`
// against a real `hedge gateway serve`: the same answers as the gateway's own home gives, and
// QA verdicts counted on the gateway.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  makeTempDir,
  makeTempHome,
  openAiRateLimitHeaders,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { startGateway, type GatewayProcess } from "./gateway-process.js";
import { runHedge, type HedgeRun } from "./run-hedge.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

interface Remote {
  upstream: ScriptedUpstream;
  /** The gateway's home: its config, profiles, state.db. */
  server: TempHome;
  /** Another machine's home: no providers at all, only the gateway's URL. */
  client: TempHome;
  gateway: GatewayProcess;
  /** A hedge command run on the gateway's machine (embedded). */
  local: (args: readonly string[], input?: string) => Promise<HedgeRun>;
  /** The same command from the other home, through `--gateway` (and the key, when one exists). */
  remote: (
    args: readonly string[],
    options?: { input?: string; key?: string | undefined },
  ) => Promise<HedgeRun>;
}

/**
 * A gateway routing `lab/*` to a scripted upstream with `spare/*` as fallback and a hosted
 * provider its policy refuses; a logged-in profile `work`; optionally a gateway key.
 */
async function remoteSetup(options: { key?: boolean } = {}): Promise<Remote & { key?: string }> {
  const upstream = await startScriptedUpstream();
  const server = await makeTempHome();
  const client = await makeTempHome();
  stops.push(
    () => upstream.close(),
    () => server.cleanup(),
    () => client.cleanup(),
  );
  writeFileSync(
    join(server.path, "config.toml"),
    [
      'credentials_store = "file"',
      "[routing.retry]",
      "same_route = 0",
      '[routing.models."lab/m"]',
      'fallbacks = ["spare/m", "cloud/m"]',
      "[providers.lab]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
      "[providers.spare]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
      "[providers.cloud]",
      'type = "openai"',
      'base_url = "https://api.example.com/v1"',
      'api_key = "sk-cloud-config-0000000000"',
    ].join("\n"),
  );
  writeFileSync(join(client.path, "config.toml"), '[roles]\nqa = "lab/qa"\n');
  const serverEnv = { ...server.env, HOME: server.path };
  const login = await runHedge(["auth", "login", "--provider", "lab", "--profile", "work"], {
    env: serverEnv,
    input: "key-work-0123456789abcdef\n",
  });
  expect(login.code, login.stderr).toBe(0);
  let key: string | undefined;
  if (options.key) {
    const created = await runHedge(["gateway", "key", "create", "--name", "ci", "--json"], {
      env: serverEnv,
    });
    key = (JSON.parse(created.stdout) as { key: string }).key;
  }
  const gateway = await startGateway(serverEnv);
  stops.push(() => gateway.stop());
  const clientEnv = { ...client.env, HOME: client.path };
  return {
    upstream,
    server,
    client,
    gateway,
    ...(key ? { key } : {}),
    local: (args, input) =>
      runHedge(args, { env: serverEnv, ...(input === undefined ? {} : { input }) }),
    remote: (args, remoteOptions = {}) =>
      runHedge([...args, "--gateway", gateway.url], {
        env: {
          ...clientEnv,
          ...(remoteOptions.key ? { HEDGE_GATEWAY_KEY: remoteOptions.key } : {}),
        },
        ...(remoteOptions.input === undefined ? {} : { input: remoteOptions.input }),
      }),
  };
}

/** One chat call through the gateway: lab answers 429 (a cooldown), the fallback serves. */
async function callThrough(r: Remote, key?: string): Promise<void> {
  r.upstream.push(
    { status: 429, headers: { "retry-after": "600" } },
    {
      text: "served",
      usage: { inputTokens: 10, outputTokens: 2 },
      headers: openAiRateLimitHeaders({
        requests: { limit: 100, remaining: 60, resetMs: 3_600_000 },
      }),
    },
  );
  const response = await fetch(`${r.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

function json(run: HedgeRun): unknown {
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as unknown;
}

describe("reading a remote gateway's routing state", () => {
  it("route explain --gateway --json equals the gateway machine's own answer", async () => {
    const r = await remoteSetup();
    await callThrough(r);
    const local = await r.local(["route", "explain", "lab/m", "--role", "executor", "--json"]);
    const remote = await r.remote(["route", "explain", "lab/m", "--role", "executor", "--json"]);
    expect(remote.code).toBe(0);
    expect(json(remote)).toEqual(json(local));
    // The cooldown (with its end), the fallback first, the policy's refusal.
    expect(json(remote)).toMatchObject({
      routes: [
        { route: "lab:profile:work", order: null, until: expect.any(String) as string },
        { route: "spare:none", order: 1 },
      ],
      ruled_out: [{ route: "cloud:*" }],
      error: null,
    });
    // A model the gateway's policy refuses: exit 1 both ways, with the same would-be error.
    const deniedLocal = await r.local(["route", "explain", "cloud/m", "--json"]);
    const deniedRemote = await r.remote(["route", "explain", "cloud/m", "--json"]);
    expect([deniedLocal.code, deniedRemote.code]).toEqual([1, 1]);
    expect(json(deniedRemote)).toEqual(json(deniedLocal));
    // And the human table.
    const table = await r.remote(["route", "explain", "lab/m"]);
    expect(table.stdout).toContain("spare:none");
    expect(table.stdout).toContain("excluded: ");
  });

  it("usage and gateway status --gateway show the gateway's profiles, cooldowns and errors", async () => {
    const r = await remoteSetup();
    await callThrough(r);
    const withoutClock = (run: HedgeRun): unknown =>
      JSON.parse(
        JSON.stringify(json(run), (key, value: unknown) =>
          key === "reset_in_s" ? undefined : value,
        ),
      );
    const usage = await r.remote(["usage", "--json"]);
    expect(usage.code).toBe(0);
    expect(withoutClock(usage)).toEqual(withoutClock(await r.local(["usage", "--json"])));
    expect(json(usage)).toMatchObject({ store: "sqlite", profiles: [{ profile: "work" }] });

    const status = await r.remote(["gateway", "status", "--json"]);
    expect(json(status)).toEqual(json(await r.local(["gateway", "status", "--json"])));
    expect(json(status)).toMatchObject({
      recent: { requests: 1, failed: 0 },
      cooldowns: [{ route: "lab:profile:work", kind: "rate_limited" }],
      recent_errors: [{ route: "lab:profile:work", status: 429 }],
    });
    const human = await r.remote(["gateway", "status"]);
    expect(human.stdout).toContain("cooldowns and marks");
    expect(human.stdout).toContain("lab:profile:work");
    expect((await r.remote(["usage"])).stdout).toContain("work  lab (api-key)");
  });

  it("stats --gateway shows the QA verdicts hedge qa --gateway recorded there (a key required)", async () => {
    const r = await remoteSetup({ key: true });
    const repo = await makeTempDir("hedge-qa-repo-");
    stops.push(() => repo.cleanup());
    execFileSync("git", ["init", "-q"], { cwd: repo.path });
    const transcript = join(r.client.path, "transcript.jsonl");
    writeFileSync(
      transcript,
      [
        { type: "user", message: { role: "user", content: "Fix add()." } },
        {
          type: "assistant",
          message: { role: "assistant", content: [{ type: "text", text: "Fixed." }] },
        },
      ]
        .map((line) => JSON.stringify(line))
        .join("\n"),
    );
    const stop = JSON.stringify({
      session_id: "5f0c2a7e-8d1b-4c3e-9a6f-2b7d1e4c8a90",
      transcript_path: transcript,
      cwd: repo.path,
      hook_event_name: "Stop",
      stop_hook_active: false,
    });
    const verdict = (value: string) => ({
      toolCalls: [
        { name: "report_verdict", arguments: { verdict: value, tasks: [], reason: "checked" } },
      ],
    });
    r.upstream.push(verdict("block"), verdict("pass"));
    const blocked = await r.remote(["qa"], { input: stop, key: r.key });
    expect(blocked.stderr).toBe("");
    expect(JSON.parse(blocked.stdout)).toMatchObject({ decision: "block" });
    const passed = await r.remote(["qa"], { input: stop, key: r.key });
    expect(passed).toEqual({ code: 0, stdout: "", stderr: "" });

    const byModel = ["stats", "--json", "--by", "model", "--since", "2020-01-01"];
    const stats = await r.remote(byModel, { key: r.key });
    expect(json(stats)).toMatchObject({
      rows: [{ key: "lab/qa", calls: 2, qa: { pass: 1, add_tasks: 0, block: 1 } }],
    });
    // The gateway's own home says the same.
    expect(json(await r.local(byModel))).toEqual(json(stats));

    // Without the key: one line naming what to set.
    const refused = await r.remote(["stats"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toMatch(
      /^hedge: the gateway at http:\/\/\S+ refused a call without a gateway key \(401\)\n {2}hint: set HEDGE_GATEWAY_KEY to a key from 'hedge gateway key create' on the gateway's machine\n$/,
    );
    for (const args of [["usage"], ["gateway", "status"], ["route", "explain", "lab/m"]]) {
      expect((await r.remote(args)).stderr).toContain("refused a call without a gateway key (401)");
    }
  });

  it("names a gateway that is not hedge's, in one line", async () => {
    const upstream = await startScriptedUpstream();
    const home = await makeTempHome();
    stops.push(
      () => upstream.close(),
      () => home.cleanup(),
    );
    const run = await runHedge(["usage", "--gateway", `${upstream.url}/v1`], { env: home.env });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toBe(
      `hedge: this gateway does not serve hedge's admin API; ${upstream.url}/v1 answered GET /hedge/v1/usage with 404`,
    );
  });
});
