import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  providerRefusals,
  startRedisServer,
  type RedisServer,
  type ScriptReply,
} from "@hedge/testkit";
import { startGateway } from "./gateway-process.js";
import { exec, gatewayStatus, setup } from "./routing-home.js";

// One error is not an outage, across real processes sharing state.db (or Redis): a refusal
// marks what the provider says it is about, a re-login ends a key's marks, `gateway status`
// shows each mark's cause and end, and `gateway reset` clears them.

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

describe("a refusal marks what it is about, persisted in state.db", () => {
  it('one 403 "does not have access to model gpt-restricted": the next process still gets every other model; status shows the mark, reset clears it', async () => {
    const s = await setup(stops, [], {
      env: { LAB_KEY: "sk-lab" },
      provider: ['api_key_env = "LAB_KEY"'],
    });
    s.upstream.push(providerRefusals.openAiModelAccess("gpt-restricted") as ScriptReply);
    const refused = await s.hedge(exec("lab/gpt-restricted"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("does not have access to model");

    // Another process, another model of the same provider and key: served.
    s.upstream.push({ text: "gpt-ok answers" });
    const served = await s.hedge(exec("lab/gpt-ok"));
    expect(served.stderr).not.toContain("credential");
    expect(served.code).toBe(0);
    expect(served.stdout).toBe("gpt-ok answers\n");

    const { cooldowns } = await gatewayStatus(s);
    expect(cooldowns).toEqual([
      expect.objectContaining({
        route: "lab:env:LAB_KEY",
        scope: "model",
        model: "gpt-restricted",
        kind: "permission",
        mark: true,
        reason: expect.stringContaining("does not have access to model") as string,
      }),
    ]);
    const table = await s.hedge(["gateway", "status"]);
    expect(table.stdout).toContain("model gpt-restricted");
    // 60m from the 403: "1h00m" within the first second, "59m59s" after (no timing assumed).
    expect(table.stdout).toMatch(
      /at re-login, or \d{4}-\d\d-\d\dT[\d:.]+Z \(in (?:1h00m|59m\d\ds)\)/,
    );

    const unknown = await s.hedge(["gateway", "reset", "lab:env:OTHER"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")[0]).toBe(
      'hedge: no breaker, cooldown or mark for "lab:env:OTHER"; known: lab:env:LAB_KEY',
    );
    const reset = await s.hedge(["gateway", "reset", "lab:env:LAB_KEY", "--json"]);
    expect(reset.code).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({
      reset: [
        {
          route: "lab:env:LAB_KEY",
          cooldowns: [{ scope: "model", model: "gpt-restricted", kind: "permission" }],
        },
      ],
    });
    expect((await gatewayStatus(s)).cooldowns).toEqual([]);
  });

  it("a refused key is marked invalid until the profile logs in again with a new key", async () => {
    const s = await setup(stops, []);
    const login = (key: string, force: boolean) =>
      s.hedge(
        ["auth", "login", "--provider", "lab", "--profile", "work", ...(force ? ["--force"] : [])],
        `${key}\n`,
      );
    expect((await login("sk-old", false)).code).toBe(0);
    s.upstream.push(providerRefusals.openAiInvalidKey);
    expect((await s.hedge(exec("lab/m"))).code).toBe(1);
    expect((await gatewayStatus(s)).cooldowns).toEqual([
      expect.objectContaining({ route: "lab:profile:work", scope: "route", kind: "credential" }),
    ]);
    // While marked, nothing is sent with the refused key.
    expect((await s.hedge(exec("lab/other"))).code).toBe(1);
    expect(s.upstream.requests).toHaveLength(1);

    const relogin = await login("sk-new", true);
    expect(relogin.code).toBe(0);
    expect(relogin.stdout).toContain("cleared 1 mark(s) of lab:profile:work");
    expect((await gatewayStatus(s)).cooldowns).toEqual([]);
    s.upstream.push({ text: "new key works" });
    const served = await s.hedge(exec("lab/m"));
    expect(served.code).toBe(0);
    expect(s.upstream.requests.at(-1)?.headers["authorization"]).toBe("Bearer sk-new");
  });
});

let redis: RedisServer | undefined;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

describe.each([
  ["SQLite (state.db)", () => "sqlite"],
  ["Redis", () => redis?.url ?? "redis://unset"],
])("hedge gateway reset on %s", (_name, store) => {
  it("status shows an open breaker's cause and end; reset clears it and a running gateway tries the route again", async () => {
    const s = await setup(stops, [
      `store = "${store()}"`,
      "[routing.breaker]",
      "failure_threshold = 1",
      "cooldown_ms = 600000",
    ]);
    s.upstream.push({ status: 503, error: { message: "unavailable" } });
    const gateway = await startGateway({ ...s.home.env, HOME: s.home.path });
    stops.push(() => gateway.stop());
    const chat = () =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
      });
    expect((await chat()).status).toBe(503);
    expect((await chat()).status).toBe(503);
    expect(s.upstream.requests).toHaveLength(1);

    const { breakers } = await gatewayStatus(s);
    expect(breakers).toEqual([
      expect.objectContaining({
        route: "lab:none",
        state: "open",
        cause: expect.stringContaining("503: unavailable") as string,
        until: expect.stringMatching(/^\d{4}-/) as string,
      }),
    ]);
    const reset = await s.hedge(["gateway", "reset", "--all"]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toBe("reset lab:none: breaker (open)\n");

    s.upstream.push({ text: "back" });
    expect((await chat()).status).toBe(200);
    expect(s.upstream.requests).toHaveLength(2);
    expect((await s.hedge(["gateway", "reset", "--all"])).stdout).toBe("nothing to reset\n");
  });
});
