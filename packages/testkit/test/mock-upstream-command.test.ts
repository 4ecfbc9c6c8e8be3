import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, type TempDir } from "../src/index.js";

const root = join(import.meta.dirname, "../../..");
const tsx = join(root, "node_modules/.bin/tsx");
const command = join(import.meta.dirname, "../src/bin/mock-upstream.ts");
const fixture = join(import.meta.dirname, "../fixtures/example-script.json");

function start(args: string[]): ChildProcess {
  return spawn(tsx, [command, ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
}

async function finish(
  child: ChildProcess,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

async function waitForUrl(child: ChildProcess): Promise<string> {
  let output = "";
  for await (const chunk of child.stdout ?? []) {
    output += (chunk as Buffer).toString();
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
    if (url !== undefined) return url;
  }
  throw new Error(`mock-upstream exited without printing its URL: ${output}`);
}

describe("pnpm mock-upstream", () => {
  let running: ChildProcess | undefined;
  let temp: TempDir | undefined;
  afterEach(async () => {
    if (running && running.exitCode === null) {
      const exited = once(running, "exit");
      running.kill("SIGTERM");
      await exited;
    }
    running = undefined;
    await temp?.cleanup();
    temp = undefined;
  });

  it("serves a script file and prints its URL", async () => {
    running = start(["--script", fixture, "--port", "0"]);
    const url = await waitForUrl(running);
    const response = await fetch(`${url}/v1/models`);
    const body = (await response.json()) as { data: { id: string }[] };
    expect(body.data.map((model) => model.id)).toContain("gpt-5-codex");
  });

  it("exits 2 with one line when --script is missing", async () => {
    const result = await finish(start(["--port", "0"]));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mock-upstream: --script is required \(usage: .*\)\n$/);
  });

  it("exits 2 on an unknown option or a bad port", async () => {
    expect((await finish(start(["--script", fixture, "--bogus"]))).code).toBe(2);
    expect((await finish(start(["--script", fixture, "--port", "http"]))).code).toBe(2);
  });

  it("exits 2 naming the problem in an invalid script", async () => {
    temp = await makeTempDir();
    const file = join(temp.path, "script.json");
    await writeFile(file, JSON.stringify({ replies: [{ text: 42 }] }));
    const result = await finish(start(["--script", file]));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("replies[0].text: expected a string");
  });

  it("exits 2 when the script file does not exist", async () => {
    const result = await finish(start(["--script", "/nonexistent/script.json"]));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot read script \/nonexistent\/script\.json/);
  });
});
