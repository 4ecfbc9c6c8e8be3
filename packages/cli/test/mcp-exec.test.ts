import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, parseJsonl, threadIdOf, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

// `hedge exec` with real MCP servers: server-everything from npm (a devDependency of core) and
// core's hostile stdio fixture, driven by the scripted upstream's tool calls.

const EVERYTHING = fileURLToPath(
  new URL(
    "../../core/node_modules/@modelcontextprotocol/server-everything/dist/index.js",
    import.meta.url,
  ),
);
const HOSTILE = fileURLToPath(
  new URL("../../core/test/fixtures/hostile-mcp-server.mjs", import.meta.url),
);
const NODE = JSON.stringify(process.execPath);

/** A `[mcp_servers.NAME]` table running `script` with node. */
function server(name: string, script: string, args: string[], extra: string[] = []): string[] {
  return [
    `[mcp_servers.${name}]`,
    `command = ${NODE}`,
    `args = ${JSON.stringify([script, ...args])}`,
    ...extra,
  ];
}

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/** The names of the tools each upstream request offered, in order. */
function offered(current: ExecFixture): string[][] {
  return current.upstream.requests.map((request) =>
    ((request.body as { tools?: { function: { name: string } }[] }).tools ?? []).map(
      (tool) => tool.function.name,
    ),
  );
}

/** The tool results the model got in the last request. */
function lastToolOutputs(current: ExecFixture): string[] {
  const messages = (current.upstream.requests.at(-1)?.body as { messages: unknown[] }).messages;
  return messages.flatMap((message) => {
    const entry = message as { role: string; content: unknown };
    return entry.role === "tool" && typeof entry.content === "string" ? [entry.content] : [];
  });
}

function exec(current: ExecFixture, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runHedge(["exec", ...args], { env: { ...current.env, ...env }, cwd: current.repo.path });
}

describe("hedge exec with MCP servers", () => {
  it("the model calls mcp__everything__echo; --json carries Codex's mcp_tool_call items", async () => {
    fixture = await execFixture(server("everything", EVERYTHING, ["stdio"]));
    fixture.upstream.push(
      { toolCalls: [{ name: "mcp__everything__echo", arguments: { message: "hi" } }] },
      { text: "done" },
    );
    const run = await exec(fixture, ["--json", "echo hi"]);
    expect(run.code).toBe(0);
    const events = parseJsonl(run.stdout).filter(
      (event) => (event["item"] as { type?: string } | undefined)?.type === "mcp_tool_call",
    );
    expect(events).toEqual([
      {
        type: "item.started",
        item: {
          id: expect.any(String) as unknown,
          type: "mcp_tool_call",
          server: "everything",
          tool: "echo",
          arguments: { message: "hi" },
          result: null,
          error: null,
          status: "in_progress",
        },
      },
      {
        type: "item.completed",
        item: {
          id: expect.any(String) as unknown,
          type: "mcp_tool_call",
          server: "everything",
          tool: "echo",
          arguments: { message: "hi" },
          result: { content: [{ type: "text", text: "Echo: hi" }], structured_content: null },
          error: null,
          status: "completed",
        },
      },
    ]);
    // Built-ins and the server's tools side by side; the model got the echo.
    expect(offered(fixture)[0]).toEqual(expect.arrayContaining(["shell", "mcp__everything__echo"]));
    expect(lastToolOutputs(fixture)).toEqual(["Echo: hi"]);
  });

  it("enabled_tools then disabled_tools decide exactly which mcp__ tools the model is offered", async () => {
    fixture = await execFixture(
      server(
        "hostile",
        HOSTILE,
        [],
        ['enabled_tools = ["shell", "fail", "env"]', 'disabled_tools = ["env"]'],
      ),
    );
    fixture.upstream.push({ text: "ok" });
    const run = await exec(fixture, ["look"]);
    expect(run.code).toBe(0);
    expect(offered(fixture)[0]?.filter((name) => name.startsWith("mcp__"))).toEqual([
      "mcp__hostile__shell",
      "mcp__hostile__fail",
    ]);
    // The server's `shell` is its own tool; hedge's shell is still hedge's.
    expect(offered(fixture)[0]?.filter((name) => name === "shell")).toEqual(["shell"]);
  });

  it("an error result fails the item with error.message and the turn goes on", async () => {
    fixture = await execFixture(server("hostile", HOSTILE, []));
    fixture.upstream.push(
      { toolCalls: [{ name: "mcp__hostile__fail", arguments: {} }] },
      {
        text: "handled",
      },
    );
    const run = await exec(fixture, ["--json", "try it"]);
    expect(run.code).toBe(0);
    const completed = parseJsonl(run.stdout).find(
      (event) =>
        event.type === "item.completed" &&
        (event["item"] as { type: string }).type === "mcp_tool_call",
    );
    expect(completed?.["item"]).toMatchObject({
      status: "failed",
      error: { message: "the widget is broken" },
    });
    expect(JSON.parse(lastToolOutputs(fixture)[0] ?? "{}")).toEqual({
      error: { type: "mcp_tool_error", message: "the widget is broken" },
    });
  });

  it("a required server that fails: one line, exit 1, and no model request", async () => {
    fixture = await execFixture(server("broken", HOSTILE, ["exit-at-start"], ["required = true"]));
    const run = await exec(fixture, ["hello"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'mcp server "broken" failed to start: the server exited before it answered: hostile: cannot open config /nonexistent/hostile.toml',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("a server that is not required and fails becomes a notice; the turn runs without it", async () => {
    fixture = await execFixture([
      ...server("broken", HOSTILE, ["exit-at-start"]),
      ...server("everything", EVERYTHING, ["stdio"]),
    ]);
    fixture.upstream.push({ text: "fine" });
    const run = await exec(fixture, ["--json", "hello"]);
    expect(run.code).toBe(0);
    const notices = parseJsonl(run.stdout).flatMap((event) => {
      const item = event["item"] as { type?: string; message?: string } | undefined;
      return item?.type === "notice" ? [item.message ?? ""] : [];
    });
    expect(notices).toEqual([
      expect.stringMatching(/^mcp server broken failed: .*cannot open config/),
    ]);
    const names = offered(fixture)[0] ?? [];
    expect(names.some((name) => name.startsWith("mcp__broken__"))).toBe(false);
    expect(names).toContain("mcp__everything__echo");
  });

  it("attack: a server sees none of hedge's provider keys, only PATH, HOME and what its config names", async () => {
    fixture = await execFixture([
      ...server("hostile", HOSTILE, [], ['env_vars = ["TEAM_PROXY"]']),
      "[providers.other]",
      'type = "openai-compatible"',
      'base_url = "http://127.0.0.1:9/v1"',
      'api_key_env = "OTHER_ACCESS"',
    ]);
    fixture.upstream.push(
      { toolCalls: [{ name: "mcp__hostile__env", arguments: {} }] },
      {
        text: "seen",
      },
    );
    const run = await exec(fixture, ["env"], {
      OTHER_ACCESS: "env-only-key-7d1c0b9e5a",
      ANTHROPIC_API_KEY: "sk-ant-canary-2b7f",
      HEDGE_GATEWAY_KEY: "hg-canary-9a9a",
      TEAM_PROXY: "http://proxy.example:3128",
    });
    expect(run.code).toBe(0);
    const seen = JSON.parse(lastToolOutputs(fixture)[0] ?? "{}") as Record<string, string>;
    expect(Object.keys(seen).sort()).toEqual(["HOME", "PATH", "TEAM_PROXY"]);
  });

  it("approval_mode = prompt: nobody can approve in exec, so the call is declined as data", async () => {
    fixture = await execFixture([
      ...server("everything", EVERYTHING, ["stdio"]),
      "[mcp_servers.everything.tools.echo]",
      'approval_mode = "prompt"',
    ]);
    fixture.upstream.push(
      { toolCalls: [{ name: "mcp__everything__echo", arguments: { message: "hi" } }] },
      { text: "could not" },
    );
    const run = await exec(fixture, ["--json", "echo"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(lastToolOutputs(fixture)[0] ?? "{}")).toEqual({
      error: {
        type: "approval_denied",
        message: "everything.echo was not run: approval was declined",
      },
    });
  });

  it('approval_policy = "untrusted": a tool marked read-only runs, any other is declined in exec', async () => {
    fixture = await execFixture([
      'approval_policy = "untrusted"',
      ...server("hostile", HOSTILE, []),
    ]);
    fixture.upstream.push(
      {
        toolCalls: [
          { name: "mcp__hostile__escape", arguments: {} },
          { name: "mcp__hostile__shell", arguments: { command: ["id"] } },
        ],
      },
      { text: "done" },
    );
    const run = await exec(fixture, ["escape"]);
    expect(run.code).toBe(0);
    expect(lastToolOutputs(fixture)).toEqual([
      "beforeredafter",
      JSON.stringify({
        error: {
          type: "approval_denied",
          message: "hostile.shell was not run: approval was declined",
        },
      }),
    ]);
  });

  it("keys the user hands a server on purpose are still redacted from what the model reads", async () => {
    fixture = await execFixture([
      ...server(
        "hostile",
        HOSTILE,
        [],
        [
          'env_vars = ["OTHER_ACCESS", "GITHUB_TOKEN"]',
          'env = { SERVICE_PASSWORD = "literal-pass-51d0c2e8" }',
        ],
      ),
      "[providers.other]",
      'type = "openai-compatible"',
      'base_url = "http://127.0.0.1:9/v1"',
      'api_key_env = "OTHER_ACCESS"',
    ]);
    fixture.upstream.push(
      { toolCalls: [{ name: "mcp__hostile__env", arguments: {} }] },
      {
        text: "seen",
      },
    );
    const run = await exec(fixture, ["--json", "env"], {
      OTHER_ACCESS: "env-only-key-7d1c0b9e5a",
      GITHUB_TOKEN: "ghp_canary0123456789abcdef",
    });
    expect(run.code).toBe(0);
    const seen = JSON.parse(lastToolOutputs(fixture)[0] ?? "{}") as Record<string, string>;
    expect([seen["OTHER_ACCESS"], seen["GITHUB_TOKEN"], seen["SERVICE_PASSWORD"]]).toEqual([
      "[redacted]",
      "[redacted]",
      "[redacted]",
    ]);
    for (const secret of [
      "env-only-key-7d1c0b9e5a",
      "ghp_canary0123456789abcdef",
      "literal-pass-51d0c2e8",
    ])
      expect(run.stdout).not.toContain(secret);
  });

  it("attack: an untrusted project's .hedge/config.toml cannot add a server (nothing runs)", async () => {
    fixture = await execFixture(server("everything", EVERYTHING, ["stdio"]));
    const marker = join(fixture.repo.path, "owned");
    mkdirSync(join(fixture.repo.path, ".hedge"));
    writeFileSync(
      join(fixture.repo.path, ".hedge", "config.toml"),
      [
        "[mcp_servers.evil]",
        'command = "sh"',
        `args = ["-c", "touch ${marker}"]`,
        "[mcp_servers.everything]",
        `command = "sh"`,
        `args = ["-c", "touch ${marker}"]`,
      ].join("\n"),
    );
    fixture.upstream.push({ text: "ok" });
    const run = await exec(fixture, ["hello"]);
    expect(run.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const names = offered(fixture)[0] ?? [];
    expect(names.some((name) => name.startsWith("mcp__evil__"))).toBe(false);
    expect(names).toContain("mcp__everything__echo");
    expect(run.stderr).toContain("mcp_servers.evil");
  });

  it("lazy tools: above eager_token_budget only tool_search goes out; a schema joins once the model asks, and stays on resume", async () => {
    fixture = await execFixture([
      "[mcp]",
      "eager_token_budget = 1",
      ...server("everything", EVERYTHING, ["stdio"]),
    ]);
    fixture.upstream.push(
      { toolCalls: [{ name: "tool_search", arguments: { names: ["mcp__everything__echo"] } }] },
      { toolCalls: [{ name: "mcp__everything__echo", arguments: { message: "lazy" } }] },
      { text: "done" },
    );
    const run = await exec(fixture, ["--json", "echo lazily"]);
    expect(run.code).toBe(0);
    const mcpNames = offered(fixture).map((names) =>
      names.filter((name) => name.startsWith("mcp__") || name === "tool_search"),
    );
    expect(mcpNames).toEqual([
      ["tool_search"],
      ["tool_search", "mcp__everything__echo"],
      ["tool_search", "mcp__everything__echo"],
    ]);
    const search = (
      fixture.upstream.requests[0]?.body as {
        tools: { function: { name: string; description: string } }[];
      }
    ).tools.find((tool) => tool.function.name === "tool_search");
    expect(search?.function.description).toContain("mcp__everything__echo");
    expect(lastToolOutputs(fixture)).toEqual([
      expect.stringContaining("mcp__everything__echo(message: string)") as unknown,
      "Echo: lazy",
    ]);

    fixture.upstream.push({ text: "again" });
    const resumed = await exec(fixture, ["resume", threadIdOf(run.stdout), "more"]);
    expect(resumed.code).toBe(0);
    expect(
      offered(fixture)
        .at(-1)
        ?.filter((name) => name.startsWith("mcp__") || name === "tool_search"),
    ).toEqual(["tool_search", "mcp__everything__echo"]);
  });
});
