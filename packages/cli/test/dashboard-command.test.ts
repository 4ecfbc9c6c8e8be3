import { afterEach, describe, expect, it } from "vitest";
import { makeTempHome } from "@hedge/testkit";
import { startGateway } from "./gateway-process.js";
import { runHedge } from "./run-hedge.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

async function home() {
  const temp = await makeTempHome();
  stops.push(() => temp.cleanup());
  return { ...temp.env, HOME: temp.path };
}

describe("hedge dashboard", () => {
  it("prints the running gateway's dashboard URL when there is no browser to open", async () => {
    const env = await home();
    const gateway = await startGateway(env);
    stops.push(() => gateway.stop());
    // No DISPLAY in this environment: nothing to open, so the URL is printed with a note.
    const run = await runHedge(["dashboard", "--url", gateway.url], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${gateway.url}/dashboard\n`);
    expect(run.stderr).toContain("open the URL above yourself");
  });

  it("--new-key prints a dashboard:read key once; it reads the dashboard and cannot call models", async () => {
    const env = await home();
    const gateway = await startGateway(env);
    stops.push(() => gateway.stop());
    const run = await runHedge(["dashboard", "--url", gateway.url, "--new-key", "--no-open"], {
      env,
    });
    expect(run.code, run.stderr).toBe(0);
    const [key, url] = run.stdout.trim().split("\n");
    expect(key).toMatch(/^hk-/);
    expect(url).toBe(`${gateway.url}/dashboard`);
    const listed = await runHedge(["gateway", "key", "list", "--json"], { env });
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ scopes: ["dashboard:read"] }),
    ]);
    // The running gateway re-reads its key file (at most once a second): the new key works.
    await expect
      .poll(
        async () =>
          (
            await fetch(`${gateway.url}/dashboard/api/snapshot`, {
              headers: { authorization: `Bearer ${key}` },
            })
          ).status,
      )
      .toBe(200);
    const chat = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(chat.status).toBe(403);
  });

  it("says how to start a gateway when none answers, and refuses a bad --url or --scope", async () => {
    const env = await home();
    const none = await runHedge(["dashboard", "--url", "http://127.0.0.1:9"], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no gateway answers at http://127.0.0.1:9");
    expect(none.stderr).toContain("hedge gateway serve");
    expect(none.stderr).not.toMatch(/\n\s+at /);
    const bad = await runHedge(["dashboard", "--url", "file:///etc/passwd"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expects an http(s) URL");
    const scope = await runHedge(["gateway", "key", "create", "--scope", "root"], { env });
    expect(scope.code).toBe(2);
    expect(scope.stderr).toContain('unknown key scope "root"');
    expect(scope.stderr).toContain("dashboard:read");
  });
});
