import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, type TempDir } from "@hedge/testkit";
import { McpRequiredServerError } from "../src/mcp/errors.js";
import type { McpServerManager } from "../src/mcp/server-manager.js";
import { alive, everything, everythingOverHttp, hostile, manager } from "./mcp-harness.js";

// Real MCP servers from npm (server-everything) and a hostile stdio fixture, started by the
// manager as hedge starts them: their own process groups, an allowlisted environment.

let current: McpServerManager | undefined;
let logs: TempDir | undefined;
const stops: (() => void)[] = [];
afterEach(async () => {
  await current?.close();
  current = undefined;
  await logs?.cleanup();
  logs = undefined;
  while (stops.length) stops.pop()?.();
});

async function started(
  servers: Record<string, unknown>,
  options: { settings?: Record<string, unknown>; hostEnv?: NodeJS.ProcessEnv } = {},
): Promise<McpServerManager> {
  logs = await makeTempDir("hedge-mcp-logs-");
  current = await manager(servers, { ...options, logDir: logs.path });
  await current.start(new AbortController().signal);
  return current;
}

const signal = (): AbortSignal => new AbortController().signal;

describe("MCP servers over stdio and streamable HTTP", () => {
  it("server-everything over stdio: mcp__everything__echo answers, its tools are named for the model", async () => {
    const servers = await started({ everything: everything() });
    const state = servers.states().get("everything");
    expect(state?.status).toBe("ready");
    const names = servers.toolsFor("executor").map((tool) => tool.qualifiedName);
    expect(names).toContain("mcp__everything__echo");
    expect(names.every((name) => /^mcp__everything__[A-Za-z0-9_-]+$/.test(name))).toBe(true);
    const outcome = await servers.call("mcp__everything__echo", { message: "hi" }, signal());
    expect(outcome).toMatchObject({ ok: true, result: { text: "Echo: hi" } });
  });

  it("a server sees PATH, HOME and the variables its config names, never a provider key of hedge's", async () => {
    const servers = await started(
      { everything: everything({ env: { LOG_LEVEL: "warn" }, env_vars: ["HTTPS_PROXY"] }) },
      {
        hostEnv: {
          PATH: process.env["PATH"],
          HOME: "/home/someone",
          HTTPS_PROXY: "http://proxy.example:3128",
          ANTHROPIC_API_KEY: "sk-ant-canary-0000",
          SECRET_CANARY: "canary-1111",
        },
      },
    );
    const outcome = await servers.call("mcp__everything__get-env", {}, signal());
    expect(outcome.ok).toBe(true);
    const env = JSON.parse(outcome.ok ? outcome.result.text : "{}") as Record<string, string>;
    expect(Object.keys(env).sort()).toEqual(["HOME", "HTTPS_PROXY", "LOG_LEVEL", "PATH"]);
    expect(env["LOG_LEVEL"]).toBe("warn");
  });

  it("server-everything over streamable HTTP on loopback", async () => {
    const http = await everythingOverHttp();
    stops.push(http.stop);
    const servers = await started({
      web: { url: http.url, http_headers: { "X-Team": "core" } },
    });
    expect(servers.states().get("web")?.status).toBe("ready");
    const outcome = await servers.call("mcp__web__echo", { message: "over http" }, signal());
    expect(outcome).toMatchObject({ ok: true, result: { text: "Echo: over http" } });
  });

  it("an HTTP server whose token variable is not set fails, naming the variable; the others start", async () => {
    const servers = await started({
      web: { url: "http://127.0.0.1:9/mcp", bearer_token_env_var: "DOCS_MCP_TOKEN" },
      everything: everything(),
    });
    expect(servers.states().get("web")).toMatchObject({
      status: "failed",
      reason: "DOCS_MCP_TOKEN is not set",
    });
    expect(servers.states().get("everything")?.status).toBe("ready");
  });
});

describe("a hostile MCP server", () => {
  it("every page of tools/list is read; a name over 64 bytes is cut with a hash; shell stays an MCP tool", async () => {
    const servers = await started({ hostile: hostile() });
    const state = servers.states().get("hostile");
    expect(state).toMatchObject({ status: "ready", pages: 4, listedTools: 11 });
    const names = servers.toolsFor("executor").map((tool) => tool.qualifiedName);
    expect(names).toContain("mcp__hostile__shell");
    expect(names).toContain("mcp__hostile__pids");
    const long = names.find((name) => name.startsWith("mcp__hostile__xxx"));
    expect(long).toMatch(/^mcp__hostile__x+_[0-9a-f]{12}$/);
    expect(Buffer.byteLength(long ?? "")).toBeLessThanOrEqual(64);
    expect(await servers.call(long ?? "", {}, signal())).toMatchObject({ ok: false });
  });

  it("a huge result is capped in tokens, head and tail kept", async () => {
    const servers = await started(
      { hostile: hostile() },
      { settings: { tool_output_token_limit: 500 } },
    );
    const outcome = await servers.call("mcp__hostile__huge", {}, signal());
    const text = outcome.ok ? outcome.result.text : "";
    expect(text.startsWith("HEAD-MARK")).toBe(true);
    expect(text.endsWith("TAIL-MARK")).toBe(true);
    expect(text).toContain("mcp.tool_output_token_limit (500 tokens)");
    expect(text.length).toBeLessThan(4000);
  });

  it("escape sequences and control characters never reach the model or the item", async () => {
    const servers = await started({ hostile: hostile() });
    const outcome = await servers.call("mcp__hostile__escape", {}, signal());
    expect(outcome).toMatchObject({
      ok: true,
      result: { text: "beforeredafter", content: [{ type: "text", text: "beforeredafter" }] },
    });
    const escape = servers.toolsFor("executor").find((tool) => tool.name === "escape");
    expect(escape?.description).toBe("Returns terminal escape sequences.");
  });

  it("an error result, a hang past tool_timeout_sec and a crash mid-call all come back as data", async () => {
    const servers = await started({ hostile: hostile("normal", { tool_timeout_sec: 1 }) });
    expect(await servers.call("mcp__hostile__fail", {}, signal())).toMatchObject({
      ok: false,
      error: { type: "mcp_tool_error", message: "the widget is broken" },
    });
    expect(await servers.call("mcp__hostile__hang", {}, signal())).toMatchObject({
      ok: false,
      error: { type: "mcp_timeout", message: "hostile.hang gave no answer in 1 s" },
    });
    expect(await servers.call("mcp__hostile__crash", {}, signal())).toMatchObject({
      ok: false,
      error: { type: "mcp_server_unavailable" },
    });
    expect(servers.states().get("hostile")).toMatchObject({ status: "failed" });
    expect(await servers.call("mcp__hostile__shell", {}, signal())).toMatchObject({
      ok: false,
      error: { type: "mcp_server_unavailable" },
    });
  });

  it("a flood of stdout without a newline stops the server, not hedge", async () => {
    const servers = await started({ hostile: hostile() });
    expect(await servers.call("mcp__hostile__flood", {}, signal())).toMatchObject({
      ok: false,
      error: { type: "mcp_server_unavailable" },
    });
    expect(servers.states().get("hostile")).toMatchObject({ status: "failed" });
  });

  it("a server that exits at start fails with its reason and stderr; its log file holds the stderr (0600)", async () => {
    const servers = await started({ hostile: hostile("exit-at-start"), everything: everything() });
    const state = servers.states().get("hostile");
    expect(state).toMatchObject({ status: "failed" });
    if (state?.status !== "failed") return;
    expect(state.reason).toContain("cannot open config /nonexistent/hostile.toml");
    expect(state.stderrTail).toContain("cannot open config");
    expect(readFileSync(join(logs?.path ?? "", "hostile.log"), "utf8")).toContain(
      "cannot open config",
    );
    expect(statSync(join(logs?.path ?? "", "hostile.log")).mode & 0o777).toBe(0o600);
    expect(servers.states().get("everything")?.status).toBe("ready");
  });

  it("a server that never answers initialize fails after startup_timeout_sec", async () => {
    const servers = await started({
      hostile: hostile("no-initialize", { startup_timeout_sec: 1 }),
    });
    expect(servers.states().get("hostile")).toMatchObject({
      status: "failed",
      reason: "gave no answer within 1 s (startup_timeout_sec)",
    });
  });

  it("a slow start within startup_timeout_sec is fine", async () => {
    const servers = await started({ hostile: hostile("slow-start:1500") });
    expect(servers.states().get("hostile")?.status).toBe("ready");
  });

  it("a tool list that repeats its cursor is an error, not a hang", async () => {
    const servers = await started({ hostile: hostile("repeat-cursor") });
    expect(servers.states().get("hostile")).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("endless tool list") as unknown,
    });
  });

  it("a required server that fails stops the start with one line naming it", async () => {
    logs = await makeTempDir("hedge-mcp-logs-");
    current = await manager(
      { hostile: hostile("exit-at-start", { required: true }), everything: everything() },
      { logDir: logs.path },
    );
    const error = await current.start(signal()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpRequiredServerError);
    expect((error as Error).message).toBe(
      'mcp server "hostile" failed to start: the server exited before it answered: hostile: cannot open config /nonexistent/hostile.toml',
    );
  });

  it("a list change is read whole and in place before the call that caused it returns", async () => {
    const servers = await started({ hostile: hostile() });
    const changed: string[] = [];
    servers.onToolsChanged((server) => changed.push(server));
    expect(await servers.call("mcp__hostile__add_tool", {}, signal())).toMatchObject({ ok: true });
    expect(changed).toEqual(["hostile"]);
    expect(servers.toolsFor("executor").map((tool) => tool.name)).toContain("late_tool");
    expect(await servers.call("mcp__hostile__late_tool", {}, signal())).toMatchObject({
      ok: true,
      result: { text: "late tool ran" },
    });
  });

  it("enabled_tools then disabled_tools filter the tools; QA and the orchestrator get none by default", async () => {
    const servers = await started({
      hostile: hostile("normal", {
        enabled_tools: ["shell", "fail", "env"],
        disabled_tools: ["env"],
      }),
    });
    expect(servers.toolsFor("executor").map((tool) => tool.qualifiedName)).toEqual([
      "mcp__hostile__shell",
      "mcp__hostile__fail",
    ]);
    expect(servers.toolsFor("orchestrator")).toEqual([]);
    expect(servers.toolsFor("qa")).toEqual([]);
    expect(await servers.call("mcp__hostile__env", {}, signal())).toMatchObject({
      ok: false,
      error: { type: "unknown_tool" },
    });
  });

  it("close ends the server's whole process group, grandchildren included", async () => {
    const servers = await started({ hostile: hostile("with-child") });
    const outcome = await servers.call("mcp__hostile__pids", {}, signal());
    const pids = JSON.parse(outcome.ok ? outcome.result.text : "{}") as {
      server: number;
      child: number;
    };
    expect(alive(pids.server) && alive(pids.child)).toBe(true);
    await servers.close();
    current = undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([alive(pids.server), alive(pids.child)]).toEqual([false, false]);
  });
});
