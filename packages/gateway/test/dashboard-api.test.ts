import { afterEach, describe, expect, it } from "vitest";
import type { DashboardSnapshot } from "../src/server/dashboard/dashboard-types.js";
import { breakerKey, cooldownKey } from "../src/routing/route-state.js";
import {
  readEvents,
  startDashboardHarness,
  type DashboardHarness,
  type EventReader,
} from "./dashboard-harness.js";
import { send } from "./server-http.js";

let harness: DashboardHarness | undefined;
const readers: EventReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) reader.close();
  await harness?.close();
  harness = undefined;
});

async function start(options: Parameters<typeof startDashboardHarness>[0] = {}) {
  harness = await startDashboardHarness(options);
  return harness;
}

/** The sequence number of an event id (`EPOCH.N`). */
const sequence = (id: string): number => Number(id.split(".")[1]);

const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/** Every endpoint the page calls, as method and path. */
const ENDPOINTS: [string, string][] = [
  ["GET", "/dashboard/api/snapshot"],
  ["GET", "/dashboard/api/events"],
  ["GET", "/dashboard/api/decisions/req_1"],
  ["GET", "/dashboard/api/loops/runs/run_1/log"],
  ["POST", "/dashboard/api/routes/lab%3Anone/reset"],
];

/** An open breaker on `lab:none`, written as another process's engine would. */
const OPEN_BREAKER = {
  state: "open",
  consecutiveFailures: 5,
  window: [],
  openedAt: Date.now(),
  lastFailure: { at: Date.now(), reason: "transient upstream failure (502)" },
};

async function call(
  h: DashboardHarness,
  method: string,
  path: string,
  headers: Record<string, string> = {},
) {
  // send(): a fresh connection each time, and any header (Host, Origin) as given.
  return send(h.url, { method, path, headers, body: "" }).catch(() => undefined);
}

describe("the dashboard API's key rules", () => {
  it("answers 401 on every endpoint without a key, with a wrong key, and with the key in the URL", async () => {
    const h = await start();
    for (const [method, path] of ENDPOINTS) {
      for (const headers of [{}, bearer("hk-wrong"), { "x-api-key": "hk-wrong" }]) {
        const answer = await call(h, method, path, headers);
        expect(answer?.status, `${method} ${path}`).toBe(401);
        expect(answer?.json()).toEqual({
          error: { type: "authentication_error", message: "missing or invalid gateway key" },
        });
      }
      // A key in the query string is not a key: it would land in logs and history.
      for (const query of ["key", "api_key", "token", "authorization"]) {
        const answer = await call(h, method, `${path}?${query}=${h.keys.all}`);
        expect(answer?.status, `${method} ${path}?${query}=`).toBe(401);
      }
    }
  });

  it("answers 403 to a models-only key, 200 to a dashboard:read key; reset needs dashboard:admin", async () => {
    const h = await start();
    const models = await call(h, "GET", "/dashboard/api/snapshot", bearer(h.keys.models));
    expect(models?.status).toBe(403);
    const read = await call(h, "GET", "/dashboard/api/snapshot", bearer(h.keys.read));
    expect(read?.status).toBe(200);
    expect((read?.json() as DashboardSnapshot).server.canReset).toBe(false);
    const admin = await call(h, "GET", "/dashboard/api/snapshot", { "x-api-key": h.keys.admin });
    expect((admin?.json() as DashboardSnapshot).server.canReset).toBe(true);

    const other = await h.other();
    await other.set(breakerKey("lab:none"), OPEN_BREAKER);
    const reset = "/dashboard/api/routes/lab%3Anone/reset";
    expect((await call(h, "POST", reset, bearer(h.keys.read)))?.status).toBe(403);
    expect(await h.gateway.store.get(breakerKey("lab:none"))).toBeDefined();
    const done = await call(h, "POST", reset, bearer(h.keys.admin));
    expect(done?.status).toBe(200);
    expect(await other.get(breakerKey("lab:none"))).toBeUndefined();
  });

  it("a dashboard key cannot call models; a key without scopes still can", async () => {
    const h = await start();
    h.upstream.push({ text: "ok", repeat: true });
    const body = JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] });
    const ask = (key: string) =>
      fetch(`${h.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(key) },
        body,
      });
    expect((await ask(h.keys.read)).status).toBe(403);
    expect((await ask(h.keys.admin)).status).toBe(403);
    expect((await ask(h.keys.all)).status).toBe(200);
    expect((await ask(h.keys.models)).status).toBe(200);
    expect(h.upstream.requests).toHaveLength(2);
  });

  it("a gateway without keys serves models keyless but never the dashboard's data", async () => {
    const h = await start({ keyless: true });
    h.upstream.push({ text: "ok", repeat: true });
    const chat = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(chat.status).toBe(200);
    for (const [method, path] of ENDPOINTS) {
      expect((await call(h, method, path))?.status, `${method} ${path}`).toBe(401);
    }
    // The page itself holds no data: it loads, and asks for a key.
    expect((await call(h, "GET", "/dashboard"))?.status).toBe(200);
  });

  it("refuses a reset posted from another origin, even with a valid key", async () => {
    const h = await start();
    const other = await h.other();
    await other.set(breakerKey("lab:none"), OPEN_BREAKER);
    const answer = await call(h, "POST", "/dashboard/api/routes/lab%3Anone/reset", {
      ...bearer(h.keys.all),
      origin: "http://evil.example",
    });
    expect(answer?.status).toBe(403);
    expect(await other.get(breakerKey("lab:none"))).toBeDefined();
  });

  it("sends no CORS grant to any other origin, not even one allowed for model traffic", async () => {
    const h = await start();
    for (const origin of ["http://evil.example", "http://localhost:5173"]) {
      const preflight = await call(h, "OPTIONS", "/dashboard/api/snapshot", {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      });
      expect(preflight?.headers["access-control-allow-origin"]).toBeUndefined();
      expect(preflight?.headers["access-control-allow-headers"]).toBeUndefined();
      const read = await call(h, "GET", "/dashboard/api/snapshot", {
        ...bearer(h.keys.all),
        origin,
      });
      expect(read?.headers["access-control-allow-origin"]).toBeUndefined();
    }
  });
});

describe("the dashboard page", () => {
  it("is served without a key, under a CSP that runs only its own script, and holds no data", async () => {
    const h = await start();
    const other = await h.other();
    await other.set(cooldownKey("lab:secret-profile"), {
      until: Date.now() + 60_000,
      kind: "rate_limited",
      reason: "limited",
    });
    const page = await call(h, "GET", "/dashboard");
    expect(page?.status).toBe(200);
    expect(page?.headers["content-security-policy"]).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(page?.headers["x-content-type-options"]).toBe("nosniff");
    expect(page?.headers["referrer-policy"]).toBe("no-referrer");
    const assets = [...(page?.text ?? "").matchAll(/\/dashboard\/assets\/[\w.-]+/g)].map(
      (match) => match[0],
    );
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      const answer = await call(h, "GET", asset);
      expect(answer?.status).toBe(200);
      expect(answer?.headers["cache-control"]).toContain("immutable");
      expect(answer?.text).not.toContain("secret-profile");
    }
    expect(page?.text).not.toContain("secret-profile");
    // No inline script or style for the CSP to have to allow.
    expect(page?.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son\w+=/i);
  });

  it("serves only built assets: no path out of the page's directory", async () => {
    const h = await start();
    for (const path of [
      "/dashboard/assets/..%2f..%2fgateway-keys.json",
      "/dashboard/assets/../index.html",
      "/dashboard/assets/%2e%2e/config.toml",
      "/dashboard/assets/main.js.map",
    ]) {
      const answer = await call(h, "GET", path);
      expect(answer?.status, path).toBe(404);
      expect(answer?.text).not.toContain("hk-");
    }
  });

  it("says how to build the page when it is missing", async () => {
    const h = await start({ assetsDir: "/nonexistent/dashboard" });
    const answer = await call(h, "GET", "/dashboard");
    expect(answer?.status).toBe(503);
    expect(answer?.text).toContain("npm run setup");
  });
});

describe("the dashboard's event stream", () => {
  it("sends a snapshot, then a batch when another process changes the Store", async () => {
    const h = await start();
    const events = await readEvents(h.url, bearer(h.keys.read));
    readers.push(events);
    expect(events.status).toBe(200);
    const snapshot = await events.next((message) => message.event === "snapshot");
    expect((snapshot.data as DashboardSnapshot).routes).toEqual([]);

    const other = await h.other();
    await other.set(breakerKey("lab:none"), OPEN_BREAKER);
    const batch = await events.next(
      (message) =>
        message.event === "batch" && JSON.stringify(message.data).includes('"breaker":"open"'),
    );
    expect(batch.data).toMatchObject({
      routes: [{ route: "lab:none", breaker: "open", cause: "transient upstream failure (502)" }],
    });
  });

  it("replays what a reconnecting page missed from its Last-Event-ID, without a snapshot", async () => {
    const h = await start();
    const first = await readEvents(h.url, bearer(h.keys.read));
    readers.push(first);
    await first.next((message) => message.event === "snapshot");
    const other = await h.other();
    await other.set(breakerKey("lab:none"), OPEN_BREAKER);
    const opened = await first.next((message) => message.event === "batch");
    await other.delete(breakerKey("lab:none"));
    await first.next(
      (message) => message.event === "batch" && sequence(message.id) > sequence(opened.id),
    );
    first.close();

    const [epoch] = opened.id.split(".");
    const before = `${epoch}.${sequence(opened.id) - 1}`;
    const again = await readEvents(h.url, { ...bearer(h.keys.read), "last-event-id": before });
    readers.push(again);
    const replayed = await again.next((message) => message.id === opened.id);
    expect(replayed.event).toBe("batch");
    expect(again.messages[0]?.event).toBe("batch");

    // The same number from another server's sequence (a restart, another worker) is not replayed.
    const foreign = await readEvents(h.url, {
      ...bearer(h.keys.read),
      "last-event-id": `00000000.${sequence(opened.id) - 1}`,
    });
    readers.push(foreign);
    expect((await foreign.next(() => true)).event).toBe("snapshot");
  });

  it("ends a page's stream once its key is revoked", async () => {
    const h = await start({ pingMs: 50 });
    const events = await readEvents(h.url, bearer(h.keys.read));
    readers.push(events);
    await events.next((message) => message.event === "snapshot");
    h.keyStore.revoke("read");
    // The stream ends: the reader's loop finishes and nothing more arrives.
    await expect.poll(() => events.ended, { timeout: 5000 }).toBe(true);
    expect((await call(h, "GET", "/dashboard/api/snapshot", bearer(h.keys.read)))?.status).toBe(
      401,
    );
  });

  it("answers a malformed path escape with 404, not a server error", async () => {
    const h = await start();
    for (const path of ["/dashboard/api/decisions/%E0%A4%A", "/dashboard/api/loops/runs/%ZZ/log"]) {
      const answer = await call(h, "GET", path, bearer(h.keys.read));
      expect(answer?.status, path).toBe(404);
    }
    expect(
      (await call(h, "POST", "/dashboard/api/routes/%E0/reset", bearer(h.keys.admin)))?.status,
    ).toBe(200);
  });

  it("scrubs a key a provider quoted in a cooldown's reason", async () => {
    const h = await start();
    const quoted = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
    const other = await h.other();
    await other.set(cooldownKey("lab:none"), {
      until: Date.now() + 60_000,
      kind: "credential",
      reason: `invalid key ${quoted}`,
    });
    const answer = await call(h, "GET", "/dashboard/api/snapshot", bearer(h.keys.read));
    expect(answer?.text).toContain("invalid key [redacted]");
    expect(answer?.text).not.toContain(quoted);
  });
});

describe("the dashboard's Loops panel", () => {
  it("shows the loops source's view, and a run's log tail scrubbed of keys", async () => {
    const quoted = "sk-ant-abcdefghijklmnopqrstuvwxyz012345";
    const h = await start({
      loops: {
        read: () =>
          Promise.resolve({
            running: true,
            loops: [{ name: "nightly", schedule: "cron 0 3 * * *", state: "active" }],
          }),
        logTail: (runId) =>
          Promise.resolve(runId === "run_1" ? `ran with ${quoted}\nok\n` : undefined),
      },
    });
    const snapshot = (
      await call(h, "GET", "/dashboard/api/snapshot", bearer(h.keys.read))
    )?.json() as DashboardSnapshot;
    expect(snapshot.loops).toEqual({
      running: true,
      loops: [{ name: "nightly", schedule: "cron 0 3 * * *", state: "active" }],
    });
    const log = await call(h, "GET", "/dashboard/api/loops/runs/run_1/log", bearer(h.keys.read));
    expect(log?.json()).toEqual({ text: "ran with [redacted]\nok\n" });
    const missing = await call(
      h,
      "GET",
      "/dashboard/api/loops/runs/run_2/log",
      bearer(h.keys.read),
    );
    expect(missing?.status).toBe(404);
  });

  it("says the daemon is not running when there is no loops source", async () => {
    const h = await start();
    const snapshot = (
      await call(h, "GET", "/dashboard/api/snapshot", bearer(h.keys.read))
    )?.json() as DashboardSnapshot;
    expect(snapshot.loops).toEqual({ running: false, loops: [] });
  });
});
