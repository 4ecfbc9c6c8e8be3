import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  makeTempHome,
  openAiRateLimitHeaders,
  startScriptedUpstream,
  type ScriptedUpstream,
} from "@hedge/testkit";
import { execFixture, parseJsonl } from "./exec-helpers.js";
import { startGateway } from "./gateway-process.js";
import { HEDGE_BIN, runHedge } from "./run-hedge.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** `hedge auth login --provider lab --profile NAME` with the key `key-NAME` on stdin. */
async function login(env: NodeJS.ProcessEnv, name: string): Promise<void> {
  const run = await runHedge(["auth", "login", "--provider", "lab", "--profile", name], {
    env,
    input: `key-${name}\n`,
  });
  expect(run.code, run.stderr).toBe(0);
}

/** Which profile's key each upstream request carried. */
function served(upstream: ScriptedUpstream): string[] {
  return upstream.requests.map(
    (request) => /key-(\S+)$/.exec(request.headers["authorization"] ?? "")?.[1] ?? "?",
  );
}

const remaining = (left: number) =>
  openAiRateLimitHeaders({ requests: { limit: 100, remaining: left, resetMs: 600_000 } });

describe("the usage heartbeat through the hedge binary", () => {
  it("exec switches profiles between model calls and says so in the JSONL; usage and heartbeat show it", async () => {
    const fixture = await execFixture(['credentials_store = "file"']);
    stops.push(fixture.cleanup);
    await login(fixture.env, "a");
    await login(fixture.env, "b");
    // a answers the first model call with 5 of 100 requests left: the second call goes to b.
    fixture.upstream.push(
      { toolCalls: [{ name: "list_dir", arguments: { path: "." } }], headers: remaining(5) },
      { text: "The project has a failing add.", headers: remaining(90) },
    );
    const run = await runHedge(["exec", "--json", "what is in this project?"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(served(fixture.upstream)).toEqual(["a", "b"]);
    const items = parseJsonl(run.stdout)
      .filter((event) => event.type === "item.completed")
      .map((event) => event["item"] as { type: string; [key: string]: unknown });
    expect(items).toContainEqual(
      expect.objectContaining({
        type: "profile_switch",
        provider: "lab",
        from: "a",
        to: "b",
        reason: expect.stringContaining("5% left (below switch_below 10%)") as string,
      }),
    );
    // The session file records it too.
    const sessions = readdirSync(join(fixture.home.path, "sessions"), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith(".jsonl"));
    expect(sessions).toHaveLength(1);
    expect(readFileSync(join(fixture.home.path, "sessions", sessions[0] ?? ""), "utf8")).toContain(
      '"type":"profile_switch"',
    );
    const usage = await runHedge(["usage", "--json"], { env: fixture.env });
    expect(usage.code, usage.stderr).toBe(0);
    const report = JSON.parse(usage.stdout) as {
      profiles: {
        profile: string;
        left: number;
        windows: { name: string; remaining?: number; reset_in_s?: number }[];
        last_switch: { from: string; to: string } | null;
      }[];
    };
    const a = report.profiles.find((entry) => entry.profile === "a");
    expect(a?.left).toBe(0.05);
    expect(a?.windows[0]).toMatchObject({ name: "requests", remaining: 5 });
    expect(a?.last_switch).toMatchObject({ from: "a", to: "b" });
    const human = await runHedge(["usage"], { env: fixture.env });
    expect(human.stdout).toMatch(/requests coder\s+\[█░+\]\s+5% left 5\/100\s+resets in \d+m/);
    const heartbeat = await runHedge(["heartbeat", "--once"], { env: fixture.env });
    expect(heartbeat.code, heartbeat.stderr).toBe(0);
    expect(heartbeat.stdout).toContain("switch: ");
    expect(heartbeat.stdout).toContain("lab a -> b (usage: requests window 5% left");
  });

  it("two gateway processes sharing one state.db under load never exceed a declared local limit", async () => {
    const upstream = await startScriptedUpstream();
    const home = await makeTempHome();
    stops.push(
      () => upstream.close(),
      () => home.cleanup(),
    );
    writeFileSync(
      join(home.path, "config.toml"),
      [
        'credentials_store = "file"',
        "[providers.lab]",
        `base_url = "${upstream.url}/v1"`,
        'wire = "chat"',
        "[profiles.a.limits]",
        "requests_per_day = 12",
        "[profiles.b.limits]",
        "requests_per_day = 12",
      ].join("\n"),
    );
    await login(home.env, "a");
    await login(home.env, "b");
    upstream.push({ text: "ok", repeat: true });
    const first = await startGateway(home.env);
    stops.push(() => first.stop());
    const second = await startGateway(home.env);
    stops.push(() => second.stop());

    const ask = async (url: string): Promise<{ status: number; code?: string }> => {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
      });
      const body = (await response.json()) as { error?: { code?: string } };
      return { status: response.status, ...(body.error?.code ? { code: body.error.code } : {}) };
    };
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => ask(index % 2 ? first.url : second.url)),
    );
    const counts = { a: 0, b: 0 };
    for (const name of served(upstream)) counts[name as "a" | "b"] += 1;
    expect(counts).toEqual({ a: 12, b: 12 });
    expect(results.filter((result) => result.status === 200)).toHaveLength(24);
    const refused = results.filter((result) => result.status !== 200);
    expect(refused).toHaveLength(16);
    expect(
      refused.every((result) => result.status === 429 && result.code === "usage_exhausted"),
    ).toBe(true);
  });

  it("usage --watch redraws many times without a listener leak warning", async () => {
    const home = await makeTempHome();
    stops.push(() => home.cleanup());
    const child = spawn(
      process.execPath,
      [HEDGE_BIN, "usage", "--watch", "--json", "--interval", "0.2"],
      { env: { PATH: process.env["PATH"], NO_COLOR: "1", ...home.env } },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // Past the 10 listeners Node warns about: each report on the pipe is one wait behind it.
    const reports = 15;
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.split('"switch_below"').length > reports) resolve();
      });
      child.on("close", () => resolve());
    });
    child.kill("SIGINT");
    expect(await exited, stderr).toBe(0);
    expect(stdout.split('"switch_below"').length).toBeGreaterThan(reports);
    expect(stderr).not.toContain("MaxListenersExceededWarning");
  });
});
