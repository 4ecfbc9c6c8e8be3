import { afterEach, describe, expect, it } from "vitest";
import { labProvider, startHarness, type Harness } from "./routing-harness.js";
import { send } from "./server-http.js";

// A gateway without keys trusts whoever can reach it. Loopback keeps other machines out, but
// not the user's own browser: a web page can POST to 127.0.0.1 (CSRF), and one that rebinds its
// own DNS name to 127.0.0.1 can also read the answer. What a page can't forge is its Host and
// Origin headers, nor a JSON content type without a CORS preflight.
const PAGE = "http://evil.example:4141";
const ALLOWED = "http://localhost:5173";

let harness: Harness<"main"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(keys: readonly string[] = []): Promise<Harness<"main">> {
  harness = await startHarness({
    upstreams: ["main"],
    providers: (urls) => ({
      lab: labProvider(urls.main),
      anth: { type: "anthropic", base_url: `${urls.main}/v1` },
    }),
    keys,
    server: { allowedOrigins: [ALLOWED] },
  });
  harness.up.main.push({ text: "answered", repeat: true });
  return harness;
}

const chatBody = JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] });
const messagesBody = JSON.stringify({
  model: "anth/claude-x",
  max_tokens: 16,
  messages: [{ role: "user", content: "hi" }],
});

describe("a gateway without keys", () => {
  it("refuses a hostile page's request (foreign Host and Origin, text/plain) without calling the upstream", async () => {
    const h = await start();
    const answer = await send(h.url, {
      path: "/v1/chat/completions",
      headers: {
        host: "evil.example:4141",
        origin: PAGE,
        "content-type": "text/plain;charset=UTF-8",
      },
      body: chatBody,
    });
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({ error: { type: "permission_error" } });
    expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    expect(h.up.main.requests).toHaveLength(0);
  });

  it("refuses a DNS-rebinding Host even with a JSON body and no Origin, in the caller's format", async () => {
    const h = await start();
    const messages = await send(h.url, {
      path: "/v1/messages",
      headers: {
        host: "evil.example:4141",
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: messagesBody,
    });
    expect(messages.status).toBe(403);
    expect(messages.json()).toMatchObject({
      type: "error",
      error: { type: "permission_error", message: expect.stringContaining("loopback") as unknown },
    });
    for (const host of ["localhost.evil.com", "127.0.0.1.evil.com:4141"]) {
      const models = await send(h.url, { method: "GET", path: "/v1/models", headers: { host } });
      expect(models.status, host).toBe(403);
    }
    const metrics = await send(h.url, {
      method: "GET",
      path: "/metrics",
      headers: { host: "evil.example:4141" },
    });
    expect(metrics.status).toBe(403);
    expect(h.up.main.requests).toHaveLength(0);
  });

  it("refuses a foreign Origin on a loopback Host, even with a JSON body", async () => {
    const h = await start();
    const answer = await send(h.url, {
      path: "/v1/messages",
      headers: {
        origin: PAGE,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: messagesBody,
    });
    expect(answer.status).toBe(403);
    expect(answer.json()).toMatchObject({
      type: "error",
      error: { type: "permission_error", message: expect.stringContaining(PAGE) as unknown },
    });
    expect(h.up.main.requests).toHaveLength(0);
  });

  it("refuses a body that is not JSON with 415 (a form or text/plain post needs no preflight)", async () => {
    const h = await start();
    for (const contentType of [
      "text/plain;charset=UTF-8",
      "application/x-www-form-urlencoded",
      undefined,
    ]) {
      const answer = await send(h.url, {
        path: "/v1/chat/completions",
        headers: contentType ? { "content-type": contentType } : {},
        body: chatBody,
      });
      expect(answer.status, String(contentType)).toBe(415);
      expect(answer.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    }
    expect(h.up.main.requests).toHaveLength(0);
  });

  it("serves loopback names, JSON with a charset, and probes from anywhere", async () => {
    const h = await start();
    const port = new URL(h.url).port;
    for (const host of [`localhost:${port}`, "LOCALHOST.", `[::1]:${port}`, "127.0.0.2"]) {
      const answer = await send(h.url, {
        path: "/v1/chat/completions",
        headers: { host, "content-type": "application/json; charset=utf-8" },
        body: chatBody,
      });
      expect(answer.status, host).toBe(200);
    }
    expect(h.up.main.requests).toHaveLength(4);
    const head = await send(h.url, {
      method: "HEAD",
      path: "/",
      headers: { host: "evil.example" },
    });
    expect(head.status).toBe(200);
    const health = await send(h.url, { method: "GET", path: "/healthz" });
    expect(health.status).toBe(200);
  });

  it("serves a page on an allowed origin: preflight, then the answer it may read", async () => {
    const h = await start();
    const preflight = await send(h.url, {
      method: "OPTIONS",
      path: "/v1/messages",
      headers: {
        origin: ALLOWED,
        "access-control-request-method": "POST",
        "access-control-request-headers":
          "anthropic-dangerous-direct-browser-access,anthropic-version,content-type,x-api-key",
        "access-control-request-private-network": "true",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(preflight.headers["access-control-allow-methods"]).toContain("POST");
    expect(preflight.headers["access-control-allow-headers"]).toContain("x-api-key");
    expect(preflight.headers["access-control-allow-private-network"]).toBe("true");

    const answer = await send(h.url, {
      path: "/v1/messages",
      headers: {
        origin: ALLOWED,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: messagesBody,
    });
    expect(answer.status).toBe(200);
    expect(answer.headers["access-control-allow-origin"]).toBe(ALLOWED);
    expect(answer.json()).toMatchObject({ content: [{ type: "text", text: "answered" }] });
    expect(h.up.main.requests).toHaveLength(1);
  });
});

describe("a gateway with keys", () => {
  it("still refuses a body that is not JSON with 415, in the caller's format, unforwarded", async () => {
    const h = await start(["ci"]);
    const answer = await send(h.url, {
      path: "/v1/messages",
      headers: {
        "x-api-key": h.keys["ci"] ?? "",
        "anthropic-version": "2023-06-01",
        "content-type": "text/plain",
      },
      body: messagesBody,
    });
    expect(answer.status).toBe(415);
    expect(answer.json()).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("JSON") as unknown },
    });
    expect(h.up.main.requests).toHaveLength(0);
  });

  it("serves a key holder under any Host name (a remote gateway is reached by its own name)", async () => {
    const h = await start(["ci"]);
    const answer = await send(h.url, {
      path: "/v1/chat/completions",
      headers: {
        host: "gateway.internal:4141",
        authorization: `Bearer ${h.keys["ci"] ?? ""}`,
        "content-type": "application/json",
      },
      body: chatBody,
    });
    expect(answer.status).toBe(200);
    expect(h.up.main.requests).toHaveLength(1);
  });
});
