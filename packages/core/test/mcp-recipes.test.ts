import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, type TempDir } from "@hedge/testkit";
import type { McpServerManager } from "../src/mcp/server-manager.js";
import { manager } from "./mcp-harness.js";

// The README's browser recipes, as configured there (with node instead of npx: offline), on
// Debian's chromium: each starts, lists its tools and opens a data: URL.

const rootRequire = createRequire(fileURLToPath(new URL("../../../package.json", import.meta.url)));
const entry = (pkg: string, path: string): string =>
  join(dirname(rootRequire.resolve(`${pkg}/package.json`)), path);
const CHROMIUM = "/usr/bin/chromium";
const PAGE = "data:text/html,<title>hedge-recipe</title><h1>hello from hedge</h1>";

let current: McpServerManager | undefined;
let logs: TempDir | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
  await logs?.cleanup();
});

async function start(name: string, args: string[]): Promise<McpServerManager> {
  logs = await makeTempDir("hedge-mcp-recipes-");
  current = await manager(
    { [name]: { command: process.execPath, args, tool_timeout_sec: 60 } },
    { logDir: logs.path },
  );
  await current.start(new AbortController().signal);
  return current;
}

describe("browser recipes on Debian's chromium", () => {
  it("Playwright's MCP server navigates to a data: URL", { timeout: 90_000 }, async () => {
    const servers = await start("browser", [
      entry("@playwright/mcp", "cli.js"),
      "--headless",
      "--browser",
      "chromium",
      "--executable-path",
      CHROMIUM,
      "--no-sandbox",
      "--isolated",
    ]);
    expect(servers.states().get("browser")).toMatchObject({ status: "ready" });
    const outcome = await servers.call(
      "mcp__browser__browser_navigate",
      { url: PAGE },
      AbortSignal.timeout(60_000),
    );
    expect(outcome.ok ? outcome.result.text : JSON.stringify(outcome)).toContain("hedge-recipe");
  });

  it(
    "Chrome DevTools' MCP server opens a data: URL and lists it",
    { timeout: 90_000 },
    async () => {
      const servers = await start("devtools", [
        entry("chrome-devtools-mcp", "build/src/bin/chrome-devtools-mcp.js"),
        "--headless",
        "--executablePath",
        CHROMIUM,
        "--isolated",
        "--chrome-arg=--no-sandbox",
        "--no-usage-statistics",
      ]);
      expect(servers.states().get("devtools")).toMatchObject({ status: "ready" });
      const opened = await servers.call(
        "mcp__devtools__new_page",
        { url: PAGE },
        AbortSignal.timeout(60_000),
      );
      expect(opened.ok).toBe(true);
      const pages = await servers.call(
        "mcp__devtools__list_pages",
        {},
        AbortSignal.timeout(60_000),
      );
      expect(pages.ok ? pages.result.text : JSON.stringify(pages)).toContain("data:text/html");
    },
  );
});
