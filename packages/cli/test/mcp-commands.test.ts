import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadTokenizer, type McpStatus } from "@hedge/core";
import { execFixture, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

// `hedge mcp list|add|remove|test|cost` on a temp HEDGE_HOME, with real servers.

const EVERYTHING = fileURLToPath(
  new URL(
    "../../core/node_modules/@modelcontextprotocol/server-everything/dist/index.js",
    import.meta.url,
  ),
);
const HOSTILE = fileURLToPath(
  new URL("../../core/test/fixtures/hostile-mcp-server.mjs", import.meta.url),
);

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const hedge = (current: ExecFixture, args: string[]) =>
  runHedge(args, { env: current.env, cwd: current.repo.path });

describe("hedge mcp", () => {
  it("add appends a table and keeps the rest of config.toml byte for byte; list shows it; remove takes it out", async () => {
    fixture = await execFixture(["# my own comment, kept"]);
    const file = join(fixture.home.path, "config.toml");
    const before = readFileSync(file, "utf8");
    const added = await hedge(fixture, [
      "mcp",
      "add",
      "everything",
      "--env",
      "LOG_LEVEL=warn",
      "--env-var",
      "HTTPS_PROXY",
      "--",
      process.execPath,
      EVERYTHING,
      "stdio",
    ]);
    expect(added.code).toBe(0);
    const after = readFileSync(file, "utf8");
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toContain("[mcp_servers.everything]");
    const listed = await hedge(fixture, ["mcp", "list", "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual({
      servers: [
        {
          name: "everything",
          transport: "stdio",
          target: `${process.execPath} ${EVERYTHING} stdio`,
          enabled: true,
          required: false,
          roles: ["executor"],
          enabled_tools: null,
          disabled_tools: [],
          last_probe: null,
        },
      ],
      model: "lab/coder",
    });
    const removed = await hedge(fixture, ["mcp", "remove", "everything"]);
    expect(removed.code).toBe(0);
    expect(readFileSync(file, "utf8").trimEnd()).toBe(before.trimEnd());
  });

  it("add refuses a bad name or a second transport with one line, and writes nothing", async () => {
    fixture = await execFixture();
    const file = join(fixture.home.path, "config.toml");
    const before = readFileSync(file, "utf8");
    const bad = await hedge(fixture, ["mcp", "add", "a__b", "--", "node", "x.js"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("a server name may not contain __");
    const both = await hedge(fixture, [
      "mcp",
      "add",
      "x",
      "--url",
      "http://127.0.0.1:1/mcp",
      "--",
      "node",
    ]);
    expect(both.code).toBe(2);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("test reports a server that starts, calls a tool, and names why one fails (exit 1)", async () => {
    fixture = await execFixture();
    await hedge(fixture, ["mcp", "add", "everything", "--", process.execPath, EVERYTHING, "stdio"]);
    await hedge(fixture, [
      "mcp",
      "add",
      "broken",
      "--",
      process.execPath,
      HOSTILE,
      "exit-at-start",
    ]);
    const ok = await hedge(fixture, [
      "mcp",
      "test",
      "everything",
      "--call",
      "echo",
      "--args",
      '{"message":"yo"}',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^everything: ready in \d+ ms · mcp-servers\/everything [\d.]+ · 13 of 13 tools in 1 page/,
    );
    expect(ok.stdout).toContain("ok: Echo: yo");
    const broken = await hedge(fixture, ["mcp", "test", "broken"]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      "broken: failed: the server exited before it answered: hostile: cannot open config /nonexistent/hostile.toml",
    );
  });

  it("cost counts the exact definitions the model's wire carries: the same bytes exec sends", async () => {
    fixture = await execFixture([
      "model_context_window = 200000",
      "[mcp_servers.hostile]",
      `command = ${JSON.stringify(process.execPath)}`,
      `args = [${JSON.stringify(HOSTILE)}]`,
      'enabled_tools = ["shell", "huge", "escape", "fail"]',
    ]);
    const cost = await hedge(fixture, ["mcp", "cost", "--json"]);
    expect(cost.code).toBe(0);
    const status = JSON.parse(cost.stdout) as McpStatus;
    expect(status).toMatchObject({ model: "lab/coder", wire: "chat", contextWindow: 200000 });
    const server = status.servers[0];
    // What exec sends: the scripted upstream records the Chat request's tools.
    fixture.upstream.push({ text: "ok" });
    expect((await hedge(fixture, ["exec", "hi"])).code).toBe(0);
    const sent = (
      fixture.upstream.requests[0]?.body as { tools: { function: { name: string } }[] }
    ).tools.filter((tool) => tool.function.name.startsWith("mcp__"));
    const tokenizer = await loadTokenizer();
    const counted = sent.map((tool) => ({
      name: tool.function.name.replace("mcp__hostile__", ""),
      tokens: tokenizer.count(JSON.stringify(tool)),
    }));
    expect(server?.topTools).toEqual(
      [...counted].sort((left, right) => right.tokens - left.tokens),
    );
    expect(server?.tokens).toBe(counted.reduce((sum, tool) => sum + tool.tokens, 0));
    expect(server?.pct).toBe(Math.round((server?.tokens ?? 0) / 200) / 10);
    expect(server).toMatchObject({ tools: 4, listedTools: 11 });
    expect(server?.filterSaves).toBeGreaterThan(0);
    expect(status.count.method).toBe("estimate");
    const table = await hedge(fixture, ["mcp", "cost"]);
    expect(table.stdout).toContain("count: estimate");
    expect(table.stdout).toMatch(/hostile\s+4\s+[\d,]+\s+[\d.]+%/);
  });
});
