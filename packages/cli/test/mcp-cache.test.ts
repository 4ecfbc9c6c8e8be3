import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { McpStatus } from "@hedge/core";
import { execFixture, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

// The MCP description cache: probes (mcp test, mcp cost, a session start) leave each server's
// description under $HEDGE_HOME/cache/mcp/, so `mcp list` and `mcp cost --cached` answer
// without starting any server; a changed config makes an entry stale.

const HOSTILE = fileURLToPath(
  new URL("../../core/test/fixtures/hostile-mcp-server.mjs", import.meta.url),
);

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

interface ListJson {
  servers: {
    name: string;
    last_probe: {
      state: string;
      probed_at: string;
      tools?: number;
      tokens?: number;
      reason?: string;
    } | null;
  }[];
}

/** A fixture whose `hostile` server is a wrapper that counts its starts in a file. */
async function countedServer(
  enabledTools = '["shell", "huge"]',
): Promise<{ current: ExecFixture; starts: () => number; config: string }> {
  const current = await execFixture();
  const marker = join(current.home.path, "starts.txt");
  writeFileSync(marker, "");
  const wrapper = join(current.home.path, "counted-server.mjs");
  writeFileSync(
    wrapper,
    `import { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(marker)}, "start\\n");\nawait import(${JSON.stringify(pathToFileURL(HOSTILE).href)});\n`,
  );
  const config = join(current.home.path, "config.toml");
  const base = readFileSync(config, "utf8");
  writeFileSync(
    config,
    `${base}\n[mcp_servers.hostile]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(wrapper)}]\nenabled_tools = ${enabledTools}\n`,
  );
  fixture = current;
  return {
    current,
    starts: () => readFileSync(marker, "utf8").split("\n").filter(Boolean).length,
    config,
  };
}

const hedge = (current: ExecFixture, args: string[]) =>
  runHedge(args, { env: current.env, cwd: current.repo.path });

describe("the MCP description cache", () => {
  it("mcp test records the probe (0600); list shows state, tools and tokens without starting the server", async () => {
    const { current, starts } = await countedServer();
    const before = await hedge(current, ["mcp", "list", "--json"]);
    expect((JSON.parse(before.stdout) as ListJson).servers[0]?.last_probe).toBeNull();
    expect((await hedge(current, ["mcp", "list"])).stdout).toContain(
      "not probed yet: hedge mcp test hostile",
    );

    expect((await hedge(current, ["mcp", "test", "hostile"])).code).toBe(0);
    expect(starts()).toBe(1);
    const file = join(current.home.path, "cache", "mcp", "hostile.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const listed = await hedge(current, ["mcp", "list", "--json"]);
    const probe = (JSON.parse(listed.stdout) as ListJson).servers[0]?.last_probe;
    expect(probe).toMatchObject({ state: "ready", tools: 2 });
    expect(Date.parse(probe?.probed_at ?? "")).not.toBeNaN();
    const live = JSON.parse((await hedge(current, ["mcp", "cost", "--json"])).stdout) as McpStatus;
    expect(probe?.tokens).toBe(live.servers[0]?.tokens);
    const text = await hedge(current, ["mcp", "list"]);
    expect(text.stdout).toMatch(/ready at \S+ · 2 tools · [\d,]+ tokens \(estimate\)/);
    // Listing started nothing; the live cost started it once more.
    expect(starts()).toBe(2);
  });

  it("cost --cached gives the live numbers without starting any server", async () => {
    const { current, starts } = await countedServer();
    const live = await hedge(current, ["mcp", "cost", "--json"]);
    expect(starts()).toBe(1);
    const cached = await hedge(current, ["mcp", "cost", "--cached", "--json"]);
    expect(cached.code).toBe(0);
    expect(starts()).toBe(1);
    const liveStatus = JSON.parse(live.stdout) as McpStatus;
    const cachedStatus = JSON.parse(cached.stdout) as McpStatus;
    expect(cachedStatus.servers.map(({ startupMs: _, ...rest }) => rest)).toEqual(
      liveStatus.servers.map(({ startupMs: _, ...rest }) => rest),
    );
    expect(Object.keys(cachedStatus.probedAt ?? {})).toEqual(["hostile"]);
    const table = await hedge(current, ["mcp", "cost", "--cached"]);
    expect(table.stdout).toContain("cached descriptions, nothing started · probed: hostile ");
    expect(starts()).toBe(1);
  });

  it("a changed config makes the cached description stale in list and cost --cached", async () => {
    const { current, starts, config } = await countedServer();
    await hedge(current, ["mcp", "test", "hostile"]);
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace('["shell", "huge"]', '["shell", "huge", "fail"]'),
    );
    const listed = await hedge(current, ["mcp", "list", "--json"]);
    expect((JSON.parse(listed.stdout) as ListJson).servers[0]?.last_probe).toMatchObject({
      state: "stale",
    });
    const cached = await hedge(current, ["mcp", "cost", "--cached", "--json"]);
    const server = (JSON.parse(cached.stdout) as McpStatus).servers[0];
    expect(server).toMatchObject({ status: "failed", tokens: 0 });
    expect(server?.reason).toContain("config changed since the probe of");
    expect(starts()).toBe(1);
  });

  it("a corrupt cache file is no entry, and a cache that cannot be written fails no probe", async () => {
    const { current } = await countedServer();
    mkdirSync(join(current.home.path, "cache", "mcp"), { recursive: true });
    writeFileSync(join(current.home.path, "cache", "mcp", "hostile.json"), "{not json");
    const listed = await hedge(current, ["mcp", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("not probed yet: hedge mcp test hostile");
    // The cache directory is a file now: every write fails.
    rmSync(join(current.home.path, "cache"), { recursive: true });
    writeFileSync(join(current.home.path, "cache"), "");
    const tested = await hedge(current, ["mcp", "test", "hostile"]);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stderr).toBe("");
  });

  it("a session start records each server, a failed one with its reason", async () => {
    const { current } = await countedServer();
    const config = join(current.home.path, "config.toml");
    writeFileSync(
      config,
      `${readFileSync(config, "utf8")}\n[mcp_servers.broken]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${JSON.stringify(HOSTILE)}, "exit-at-start"]\n`,
    );
    current.upstream.push({ text: "done" });
    expect((await hedge(current, ["exec", "hi"])).code).toBe(0);
    const listed = JSON.parse((await hedge(current, ["mcp", "list", "--json"])).stdout) as ListJson;
    expect(listed.servers.map((server) => [server.name, server.last_probe?.state])).toEqual([
      ["hostile", "ready"],
      ["broken", "failed"],
    ]);
    expect(listed.servers[1]?.last_probe?.reason).toContain("the server exited before it answered");
  });
});
