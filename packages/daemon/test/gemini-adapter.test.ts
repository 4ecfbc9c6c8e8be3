import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { initRepo, makeHome, waitFor, type Home } from "./harness.js";

// The real gemini CLI (a devDependency of @hedge/cli) driven by the daemon with the adapter's
// argv and environment. The scripted upstream speaks the OpenAI and Anthropic wires, not
// Gemini's, so the model endpoint here only records what gemini sends and refuses it (400):
// the test shows gemini accepted the guard flags, got the prompt and reached its model.
const VENDOR_BIN = fileURLToPath(new URL("../../cli/node_modules/.bin", import.meta.url));
const LIMIT_MS = 120_000;

let home: Home;
let server: Server | undefined;
afterEach(async () => {
  await home?.cleanup();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

/** A loopback endpoint that records request bodies and answers Gemini's 400 error shape. */
async function recorder(): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      bodies.push(`${request.method ?? ""} ${request.url ?? ""} ${body}`);
      response.writeHead(400, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { code: 400, message: "recorder", status: "INVALID_ARGUMENT" } }),
      );
    });
  });
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bodies };
}

async function geminiLoop(env: Record<string, string>): Promise<void> {
  const repo = join(home.work, "repo");
  mkdirSync(repo);
  writeFileSync(join(repo, "a.txt"), "a\n");
  initRepo(repo);
  // The user's own gemini login choice: an API key (the key itself is a test value).
  mkdirSync(join(home.home, ".gemini"));
  writeFileSync(
    join(home.home, ".gemini", "settings.json"),
    JSON.stringify({ security: { auth: { selectedType: "gemini-api-key" } } }),
  );
  const names = Object.keys(env)
    .filter((name) => name !== "PATH")
    .flatMap((name) => ["--env", name]);
  const added = await home.hedge(
    [
      "loop",
      "add",
      "gm",
      "--agent",
      "gemini",
      "--cwd",
      repo,
      "--max-turns",
      "2",
      ...names,
      "--",
      "hello-gemini-loop",
    ],
    { env },
  );
  expect(added.code, added.stderr).toBe(0);
  await home.startDaemon({ env });
  await home.hedge(["loop", "run", "gm"]);
}

describe("--agent gemini: the real gemini -p with the adapter's flags", () => {
  it(
    "starts headless with the guard flags and the prompt and reaches its model",
    { timeout: LIMIT_MS + 30_000 },
    async () => {
      home = await makeHome();
      const model = await recorder();
      await geminiLoop({
        PATH: `${VENDOR_BIN}${delimiter}${process.env["PATH"] ?? ""}`,
        GEMINI_API_KEY: "test-key",
        GOOGLE_GEMINI_BASE_URL: model.url,
        GEMINI_CLI_TRUST_WORKSPACE: "true",
      });
      const run = await waitFor(
        "the gemini run",
        () => home.runs("gm").find((r) => r.endedAtMs !== null),
        LIMIT_MS,
      );
      const log = readFileSync(run.logPath!, "utf8");
      // Its flags were accepted (no usage error) and the prompt reached the model endpoint.
      expect(log).not.toMatch(/Unknown argument|Not enough arguments/);
      expect(run.reason, log).not.toBe("input error");
      expect(
        model.bodies.some((body) => body.includes("hello-gemini-loop")),
        log,
      ).toBe(true);
      // The model refused: a failed run, never stamped as succeeded.
      expect(run.status).toBe("failed");
    },
  );

  it(
    "in a folder gemini does not trust, the run fails with that reason and the next step",
    { timeout: LIMIT_MS + 30_000 },
    async () => {
      home = await makeHome();
      const model = await recorder();
      await geminiLoop({
        PATH: `${VENDOR_BIN}${delimiter}${process.env["PATH"] ?? ""}`,
        GEMINI_API_KEY: "test-key",
        GOOGLE_GEMINI_BASE_URL: model.url,
      });
      const run = await waitFor(
        "the gemini run",
        () => home.runs("gm").find((r) => r.endedAtMs !== null),
        LIMIT_MS,
      );
      expect(run).toEqual(
        expect.objectContaining({
          status: "failed",
          exitCode: 55,
          reason: expect.stringContaining("gemini does not trust the folder") as string,
        }),
      );
      expect(model.bodies).toEqual([]);
    },
  );
});
