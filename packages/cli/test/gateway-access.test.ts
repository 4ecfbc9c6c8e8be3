import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { startGateway, type GatewayProcess } from "./gateway-process.js";
import { runHedge } from "./run-hedge.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

async function setup(providerLines: (upstreamUrl: string) => string[]): Promise<{
  upstream: ScriptedUpstream;
  home: TempHome;
}> {
  const upstream = await startScriptedUpstream();
  const home = await makeTempHome();
  stops.push(
    () => upstream.close(),
    () => home.cleanup(),
  );
  writeFileSync(join(home.path, "config.toml"), providerLines(upstream.url).join("\n"));
  return { upstream, home };
}

async function gatewayFor(home: TempHome, args: string[] = []): Promise<GatewayProcess> {
  const gateway = await startGateway(home.env, args);
  stops.push(() => gateway.stop());
  return gateway;
}

function chat(url: string, model: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
}

const local = (url: string): string[] => [
  "[providers.lab]",
  `base_url = "${url}/v1"`,
  'wire = "chat"',
];

describe("gateway keys", () => {
  it("requires a valid key once one exists, by Bearer or x-api-key, in the inbound error shape", async () => {
    const { upstream, home } = await setup(local);
    const created = await runHedge(["gateway", "key", "create", "--name", "ci", "--json"], {
      env: home.env,
    });
    expect(created.code).toBe(0);
    const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
    const gateway = await gatewayFor(home);
    upstream.push({ text: "a", repeat: true });

    const anonymous = await chat(gateway.url, "lab/m");
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { type: "authentication_error" } });
    const wrong = await fetch(`${gateway.url}/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": "hk-wrong",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({
        model: "lab/m",
        max_tokens: 5,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
    expect(upstream.requests).toHaveLength(0);

    expect((await chat(gateway.url, "lab/m", { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await chat(gateway.url, "lab/m", { "x-api-key": key })).status).toBe(200);

    const listed = await runHedge(["gateway", "key", "list", "--json"], { env: home.env });
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).not.toContain(key);
    const revoked = await runHedge(["gateway", "key", "revoke", id], { env: home.env });
    expect(revoked.code).toBe(0);
    const again = await runHedge(["gateway", "key", "revoke", id], { env: home.env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no gateway key "${id}"`);
  });

  it("refuses to bind a non-loopback address without any key", async () => {
    const { home } = await setup(local);
    const run = await runHedge(["gateway", "serve", "--host", "0.0.0.0", "--port", "0"], {
      env: home.env,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("refusing to listen on 0.0.0.0 without a gateway key");
    expect(run.stderr).toContain("hedge gateway key create");
  });
});

describe("gateway policy", () => {
  it("denies a hosted provider under the default local-first policy, naming the rule", async () => {
    const { upstream, home } = await setup((url) => [
      "[providers.cloud]",
      `base_url = "${url}/v1"`,
      'class = "hosted"',
      'region = "us"',
      'wire = "chat"',
    ]);
    const gateway = await gatewayFor(home);
    const response = await chat(gateway.url, "cloud/m");
    expect(response.status).toBe(403);
    const body = (await response.json()) as {
      error: { message: string; type: string; code: string };
    };
    expect(body.error.type).toBe("permission_error");
    expect(body.error.code).toBe("policy_denied");
    expect(body.error.message).toContain('policy.allow_classes = ["local"]');
    expect(upstream.requests).toHaveLength(0);
  });

  it("denies a hosted region the policy does not list", async () => {
    const { upstream, home } = await setup((url) => [
      "[policy]",
      'allow_classes = ["local", "hosted"]',
      'allow_regions = ["eu"]',
      "[providers.cloud]",
      `base_url = "${url}/v1"`,
      'class = "hosted"',
      'region = "us"',
      'api_key = "sk-test-not-real"',
      'wire = "chat"',
    ]);
    const gateway = await gatewayFor(home);
    const response = await chat(gateway.url, "cloud/m");
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'policy.allow_regions = ["eu"] excludes region "us"',
    );
    expect(upstream.requests).toHaveLength(0);
  });
});

describe("pass-through", () => {
  it("streams same-wire bytes through and still counts usage", async () => {
    const { upstream, home } = await setup(local);
    const gateway = await gatewayFor(home);
    upstream.push({ text: "streamed words here", usage: { inputTokens: 21, outputTokens: 3 } });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "lab/m",
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "hi" }],
        some_vendor_field: { kept: true },
      }),
    });
    const text = await response.text();
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    // Unknown fields survive pass-through untouched; only the model is rewritten.
    expect(upstream.requests[0]?.body).toMatchObject({
      model: "m",
      some_vendor_field: { kept: true },
    });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('hedge_gateway_tokens_total{provider="lab",kind="input"} 21');
    expect(metrics).toContain('hedge_gateway_tokens_total{provider="lab",kind="output"} 3');
  });
});

/** A POST over node:http, which (unlike fetch) sends the Host header it is given. */
function postAs(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; allowOrigin: string | undefined }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method: "POST",
        path: "/v1/chat/completions",
        headers,
      },
      (incoming) => {
        incoming.resume();
        incoming.once("end", () => {
          const allowOrigin = incoming.headers["access-control-allow-origin"];
          resolve({ status: incoming.statusCode ?? 0, allowOrigin });
        });
      },
    );
    outgoing.once("error", reject);
    outgoing.end(body);
  });
}

describe("gateway in a browser's reach (gateway.allowed_origins, gateway.body_timeout)", () => {
  const body = JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] });
  const configured = (url: string): string[] => [
    "[gateway]",
    'allowed_origins = ["http://LOCALHOST:5173/"]',
    'body_timeout = "300ms"',
    ...local(url),
  ];

  it("without keys refuses a web page and a rebinding Host, and serves the configured origin", async () => {
    const { upstream, home } = await setup(configured);
    const gateway = await gatewayFor(home);
    upstream.push({ text: "a", repeat: true });
    const json = { "content-type": "application/json" };

    const page = await postAs(
      gateway.url,
      {
        host: "evil.example:4141",
        origin: "http://evil.example:4141",
        "content-type": "text/plain",
      },
      body,
    );
    expect(page.status).toBe(403);
    const rebound = await postAs(gateway.url, { ...json, host: "evil.example:4141" }, body);
    expect(rebound.status).toBe(403);
    const foreign = await postAs(gateway.url, { ...json, origin: "http://localhost:3000" }, body);
    expect(foreign.status).toBe(403);
    expect(upstream.requests).toHaveLength(0);

    const allowed = await postAs(gateway.url, { ...json, origin: "http://localhost:5173" }, body);
    expect(allowed).toEqual({ status: 200, allowOrigin: "http://localhost:5173" });
    expect((await chat(gateway.url, "lab/m")).status).toBe(200);
    expect(upstream.requests).toHaveLength(2);
  });

  it("answers a body that does not arrive within body_timeout with 408 and closes the connection", async () => {
    const { upstream, home } = await setup(configured);
    const gateway = await gatewayFor(home);
    const target = new URL(gateway.url);
    const socket = connect(Number(target.port), target.hostname);
    let received = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (received += chunk));
    socket.on("error", () => undefined);
    socket.write(
      "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n" +
        'content-length: 5000\r\n\r\n{"model":"lab/m"',
    );
    const trickle = setInterval(() => socket.writable && socket.write(" "), 20);
    await new Promise((resolve) => socket.once("close", resolve));
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received).toContain("body_timeout");
    expect(upstream.requests).toHaveLength(0);
  });

  it("rejects an allowed origin that is not an origin, and a body_timeout that is not a duration", async () => {
    const { home } = await setup((url) => [
      "[gateway]",
      'allowed_origins = ["http://localhost:5173/app"]',
      ...local(url),
    ]);
    const origin = await runHedge(["config", "show"], { env: home.env });
    expect(origin.code).toBe(3);
    expect(origin.stderr).toContain("gateway.allowed_origins[0]: expected an origin");
    writeFileSync(join(home.path, "config.toml"), "");
    const timeout = await runHedge(["config", "show", "-c", "gateway.body_timeout=soon"], {
      env: home.env,
    });
    expect(timeout.code).toBe(3);
    expect(timeout.stderr).toContain("gateway.body_timeout: expected seconds");
  });
});
