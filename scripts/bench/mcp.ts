// pnpm bench:mcp — what five real MCP servers cost each model request, eager vs lazy.
// Servers (devDependencies, started with this node, no npx): server-filesystem, server-everything,
// Playwright's MCP and Chrome DevTools' MCP on Debian's chromium, Brave search (listing only: a
// fake key, no network). One scripted session of `hedge exec --json` that uses two MCP tools,
// run with every schema sent (eager) and with tool_search (lazy, the default budget of 10% of a
// 200k window). Per request: tokens (o200k over the JSON the scripted upstream received) of the
// `tools` block and of the whole request. Then startup per server and `hedge mcp cost`.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTokenizer } from "@hedge/core";
import { startScriptedUpstream, type ScriptReply } from "@hedge/testkit";
import { machine, printTable } from "./table.js";

const bin = fileURLToPath(new URL("../../packages/cli/dist/hedge.js", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(join(root, "packages/core/package.json"));
const rootRequire = createRequire(join(root, "package.json"));
const entry = (resolve: NodeRequire, pkg: string, path: string): string =>
  join(dirname(resolve.resolve(`${pkg}/package.json`)), path);

const work = mkdtempSync(join(tmpdir(), "hedge-bench-mcp-"));
const home = join(work, "home");
const repo = join(work, "repo");
mkdirSync(home);
mkdirSync(repo);
writeFileSync(join(repo, "notes.txt"), "bench\n");
spawnSync("git", ["init", "-q"], { cwd: repo });

const chromium = "/usr/bin/chromium";
const servers: Record<string, { args: string[]; extra?: string[] }> = {
  fs: {
    args: [entry(require, "@modelcontextprotocol/server-filesystem", "dist/index.js"), repo],
  },
  everything: {
    args: [entry(require, "@modelcontextprotocol/server-everything", "dist/index.js"), "stdio"],
  },
  playwright: {
    args: [
      entry(rootRequire, "@playwright/mcp", "cli.js"),
      "--headless",
      "--browser",
      "chromium",
      "--executable-path",
      chromium,
      "--no-sandbox",
      "--isolated",
    ],
  },
  devtools: {
    args: [
      entry(rootRequire, "chrome-devtools-mcp", "build/src/bin/chrome-devtools-mcp.js"),
      "--headless",
      "--executablePath",
      chromium,
      "--isolated",
      "--chrome-arg=--no-sandbox",
      "--no-usage-statistics",
    ],
  },
  search: {
    args: [entry(rootRequire, "@brave/brave-search-mcp-server", "dist/index.js")],
    extra: ['env_vars = ["BRAVE_API_KEY"]'],
  },
};

const upstream = await startScriptedUpstream();
function writeConfig(budget: string): void {
  const lines = [
    'model = "lab/coder"',
    "model_context_window = 200000",
    "[qa]",
    "enabled = false",
    "[mcp]",
    `eager_token_budget = ${budget}`,
    "[providers.lab]",
    `base_url = "${upstream.url}/v1"`,
    'wire = "chat"',
  ];
  for (const [name, server] of Object.entries(servers)) {
    lines.push(
      `[mcp_servers.${name}]`,
      `command = ${JSON.stringify(process.execPath)}`,
      `args = ${JSON.stringify(server.args)}`,
      "startup_timeout_sec = 60",
      ...(server.extra ?? []),
    );
  }
  writeFileSync(join(home, "config.toml"), `${lines.join("\n")}\n`);
}

const env = {
  PATH: process.env["PATH"],
  HOME: home,
  HEDGE_HOME: home,
  BRAVE_API_KEY: "bench-not-a-key",
  NO_COLOR: "1",
};
// Not spawnSync: the scripted upstream answers from this process's event loop.
function hedge(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

// 8 requests, two MCP tools used; the lazy run loads both with one tool_search first.
const work8: ScriptReply[] = [
  { toolCalls: [{ name: "mcp__fs__list_directory", arguments: { path: repo } }] },
  { toolCalls: [{ name: "read_file", arguments: { path: "notes.txt" } }] },
  { toolCalls: [{ name: "mcp__everything__echo", arguments: { message: "one" } }] },
  { toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
  { toolCalls: [{ name: "mcp__everything__echo", arguments: { message: "two" } }] },
  { toolCalls: [{ name: "mcp__fs__list_directory", arguments: { path: repo } }] },
  { toolCalls: [{ name: "read_file", arguments: { path: "notes.txt" } }] },
  { text: "done" },
];
const search: ScriptReply = {
  toolCalls: [
    {
      name: "tool_search",
      arguments: { names: ["mcp__fs__list_directory", "mcp__everything__echo"] },
    },
  ],
};

const tokenizer = await loadTokenizer();
interface Run {
  tools: number[];
  whole: number[];
}
async function session(mode: "eager" | "lazy"): Promise<Run> {
  writeConfig(mode === "eager" ? "1000000" : '"10%"');
  upstream.reset();
  upstream.push(...(mode === "lazy" ? [search, ...work8] : work8));
  const run = await hedge(["exec", "--json", "--skip-git-repo-check", "look around"]);
  if (run.status !== 0) {
    console.error(run.stderr, run.stdout.slice(-3000));
    throw new Error(`bench:mcp: the ${mode} session failed`);
  }
  const requests = upstream.requests.map((request) => request.body as Record<string, unknown>);
  return {
    tools: requests.map((body) => tokenizer.count(JSON.stringify(body["tools"] ?? []))),
    whole: requests.map((body) => tokenizer.count(JSON.stringify(body))),
  };
}

try {
  console.log(`bench:mcp on ${machine()}`);
  const eager = await session("eager");
  const lazy = await session("lazy");
  const rows: string[][] = [];
  const count = Math.max(eager.tools.length, lazy.tools.length);
  const cell = (values: number[], index: number): string =>
    values[index] === undefined ? "-" : (values[index] ?? 0).toLocaleString("en-US");
  for (let index = 0; index < count; index += 1) {
    rows.push([
      String(index + 1),
      cell(eager.tools, index),
      cell(eager.whole, index),
      cell(lazy.tools, index),
      cell(lazy.whole, index),
    ]);
  }
  const sum = (values: number[]): string =>
    values.reduce((total, value) => total + value, 0).toLocaleString("en-US");
  rows.push(["sum", sum(eager.tools), sum(eager.whole), sum(lazy.tools), sum(lazy.whole)]);
  console.log("\ntokens per request (o200k over the JSON the upstream received)");
  printTable(["request", "eager tools", "eager request", "lazy tools", "lazy request"], rows);
  console.log(
    `requests: eager ${eager.tools.length}, lazy ${lazy.tools.length} (tool_search round trips: ${lazy.tools.length - eager.tools.length})`,
  );

  console.log("\nstartup per server (hedge mcp test --json)");
  const startup: string[][] = [];
  for (const name of Object.keys(servers)) {
    const test = await hedge(["mcp", "test", name, "--json"]);
    const { state } = JSON.parse(test.stdout || "{}") as {
      state?: { status?: string; startupMs?: number; tools?: unknown[] };
    };
    startup.push([
      name,
      state?.status ?? "?",
      String(state?.startupMs ?? "-"),
      String(state?.tools?.length ?? "-"),
    ]);
  }
  printTable(["server", "status", "startup ms", "tools"], startup);

  console.log("\nhedge mcp cost --model anthropic/claude-sonnet-4-5");
  const cost = await hedge(["mcp", "cost", "--model", "anthropic/claude-sonnet-4-5"]);
  process.stdout.write(cost.stdout + cost.stderr);
} finally {
  await upstream.close();
  rmSync(work, { recursive: true, force: true });
}
