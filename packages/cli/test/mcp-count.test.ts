import { appendFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { McpStatus } from "@hedge/core";
import { execFixture, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

// `hedge mcp cost` on a model routed to an Anthropic-wire provider: the provider counts each
// server's tools (count_tokens, with the route's key); a failing or silent count falls back.

const HOSTILE = fileURLToPath(
  new URL("../../core/test/fixtures/hostile-mcp-server.mjs", import.meta.url),
);
const KEY = "sk-ant-count-secret-0123456789abcdef";

let fixture: ExecFixture | undefined;
let peer: Server | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
  if (peer) await new Promise((resolve) => peer?.close(resolve));
  peer = undefined;
});

/** A fixture with the hostile server (4 tools) and a `claude` Messages provider at `baseUrl`. */
async function withClaude(baseUrl: (upstreamUrl: string) => string): Promise<ExecFixture> {
  const current = await execFixture([
    "model_context_window = 200000",
    "[mcp_servers.hostile]",
    `command = ${JSON.stringify(process.execPath)}`,
    `args = [${JSON.stringify(HOSTILE)}]`,
    'enabled_tools = ["shell", "huge", "escape", "fail"]',
  ]);
  appendFileSync(
    join(current.home.path, "config.toml"),
    `\n[providers.claude]\nbase_url = "${baseUrl(current.upstream.url)}"\nwire = "messages"\napi_key_env = "CLAUDE_TEST_KEY"\n`,
  );
  fixture = current;
  return current;
}

const cost = (current: ExecFixture, args: string[]) =>
  runHedge(["mcp", "cost", "--model", "claude/sonnet", ...args], {
    env: { ...current.env, CLAUDE_TEST_KEY: KEY },
    cwd: current.repo.path,
  });

describe("hedge mcp cost with a provider count", () => {
  it("uses the provider's count_tokens per server, with the route's key, and says so", async () => {
    const current = await withClaude((url) => `${url}/v1`);
    const run = await cost(current, ["--json"]);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as McpStatus;
    expect(status.count).toMatchObject({ method: "provider", provider: "claude" });
    const counted = current.upstream.requestsTo("/v1/messages/count_tokens");
    expect(counted).toHaveLength(2);
    for (const request of counted) expect(request.headers["x-api-key"]).toBe(KEY);
    // The scripted upstream counts a started token per four characters of {messages, tools}.
    const tokensOf = (body: unknown): number => {
      const { messages, tools } = body as { messages: unknown; tools?: unknown };
      return Math.ceil(
        JSON.stringify(tools === undefined ? { messages } : { messages, tools }).length / 4,
      );
    };
    const [bare, withTools] = [...counted].sort(
      (left, right) => tokensOf(left.body) - tokensOf(right.body),
    );
    const server = status.servers[0];
    expect(server?.tokens).toBe(tokensOf(withTools?.body) - tokensOf(bare?.body));
    expect(server?.estimatedTokens).toBeGreaterThan(0);
    expect((withTools?.body as { tools: unknown[] }).tools).toHaveLength(4);
    // The budget decision stays on the estimate, as a session's does.
    expect(status.executor.tokens).toBe(server?.estimatedTokens);
    expect(run.stdout + run.stderr).not.toContain(KEY);

    const table = await cost(current, []);
    expect(table.stdout).toContain("count: counted by claude;");
    expect(table.stdout).toMatch(/executor: [\d,]+ \(estimate\)/);
    expect(table.stdout + table.stderr).not.toContain(KEY);
  });

  it("a count endpoint that fails, even quoting the key, falls back to the estimate with a notice", async () => {
    peer = createServer((req, res) => {
      req.resume();
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ type: "error", error: { message: `invalid x-api-key ${KEY}` } }));
    });
    await new Promise<void>((resolve) => peer?.listen(0, "127.0.0.1", resolve));
    const port = (peer.address() as AddressInfo).port;
    const current = await withClaude(() => `http://127.0.0.1:${port}/v1`);
    const run = await cost(current, ["--json"]);
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as McpStatus;
    expect(status.count.method).toBe("estimate");
    expect(status.count.notice).toContain("claude could not count tokens: answered 401");
    expect(status.servers[0]?.tokens).toBeGreaterThan(0);
    expect(run.stderr).toContain("the provider's count failed");
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it("a count endpoint that never answers falls back after its timeout", async () => {
    peer = createServer((req) => req.resume());
    await new Promise<void>((resolve) => peer?.listen(0, "127.0.0.1", resolve));
    const port = (peer.address() as AddressInfo).port;
    const current = await withClaude(() => `http://127.0.0.1:${port}/v1`);
    const run = await cost(current, []);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("no answer in 5 s");
    expect(run.stdout).toContain("count: estimate (");
    expect(run.stdout).toMatch(/hostile\s+4\s+[\d,]+/);
  });

  it("a model on a wire without a count endpoint asks nothing and labels the estimate", async () => {
    const current = await withClaude((url) => `${url}/v1`);
    const run = await runHedge(["mcp", "cost"], { env: current.env, cwd: current.repo.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("count: estimate (");
    expect(current.upstream.requests).toHaveLength(0);
  });
});
