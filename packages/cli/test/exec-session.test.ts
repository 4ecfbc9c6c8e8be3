import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Codex } from "@openai/codex-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, parseJsonl, threadIdOf, type ExecFixture } from "./exec-helpers.js";
import { HEDGE_BIN, runHedge } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

function sessionFiles(home: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else found.push(join(dir, entry.name));
    }
  };
  walk(join(home, "sessions"));
  return found;
}

describe("hedge exec sessions", () => {
  it("resume --last continues the conversation with its history", async () => {
    fixture = await execFixture();
    fixture.upstream.push(
      { text: "The capital is Paris." },
      { text: "It has about two million people." },
    );
    const first = await runHedge(["exec", "--json", "capital of France?"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(first.code).toBe(0);
    const threadId = threadIdOf(first.stdout);
    const second = await runHedge(
      ["exec", "--json", "resume", "--last", "how many people live there?"],
      {
        env: fixture.env,
        cwd: fixture.repo.path,
      },
    );
    expect(second.code).toBe(0);
    expect(parseJsonl(second.stdout)[0]).toEqual({ type: "thread.started", thread_id: threadId });
    const body = JSON.stringify(fixture.upstream.requests[1]?.body);
    expect(body).toContain("capital of France?");
    expect(body).toContain("The capital is Paris.");
    expect(body).toContain("how many people live there?");
    expect(sessionFiles(fixture.home.path)).toHaveLength(1);
  });

  it("resume by id, and a clear error for an unknown id", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "one" }, { text: "two" });
    const first = await runHedge(["exec", "--json", "first"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    const threadId = threadIdOf(first.stdout);
    const again = await runHedge(["exec", "resume", threadId, "second"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("two\n");
    const missing = await runHedge(["exec", "resume", "no-such-session", "x"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no session "no-such-session"');
  });

  it("SIGINT mid-turn exits 1 and leaves a readable, resumable session", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "too slow", latencyMs: 60_000 }, { text: "Resumed fine." });
    const child = spawn(process.execPath, [HEDGE_BIN, "exec", "--json", "long task"], {
      cwd: fixture.repo.path,
      env: { PATH: process.env["PATH"], ...fixture.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    // Interrupt once the model request is in flight.
    const deadline = Date.now() + 20_000;
    while (fixture.upstream.requests.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(parseJsonl(stdout).at(-1)).toEqual({
      type: "turn.failed",
      error: { message: "interrupted" },
    });
    const [file] = sessionFiles(fixture.home.path);
    const lines = readFileSync(file as string, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines[0]?.type).toBe("session_meta");
    expect(lines.some((line) => line.type === "message")).toBe(true);
    const resumed = await runHedge(["exec", "resume", "--last", "try again"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toBe("Resumed fine.\n");
    expect(JSON.stringify(fixture.upstream.requests.at(-1)?.body)).toContain("long task");
  });

  it("the official @openai/codex-sdk drives hedge as its codex binary", async () => {
    fixture = await execFixture();
    fixture.upstream.push(
      { toolCalls: [{ name: "shell", arguments: { command: ["node", "test.js"] } }] },
      { text: "The test fails: add subtracts." },
      { text: "Still failing." },
    );
    const codex = new Codex({
      codexPathOverride: HEDGE_BIN,
      env: { PATH: process.env["PATH"] ?? "", ...(fixture.env as Record<string, string>) },
    });
    const thread = codex.startThread({
      workingDirectory: fixture.repo.path,
      model: "lab/coder",
      sandboxMode: "workspace-write",
    });
    const turn = await thread.run("run the tests");
    expect(turn.finalResponse).toBe("The test fails: add subtracts.");
    expect(thread.id).toMatch(/^[0-9a-f-]{36}$/);
    const command = turn.items.find((item) => item.type === "command_execution");
    expect(command).toMatchObject({ command: "node test.js", exit_code: 1, status: "failed" });
    expect(turn.usage?.output_tokens).toBeGreaterThan(0);
    const next = await thread.run("and now?");
    expect(next.finalResponse).toBe("Still failing.");
    expect(JSON.stringify(fixture.upstream.requests.at(-1)?.body)).toContain("run the tests");
  });
});
