import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, parseJsonl, threadIdOf, type ExecFixture } from "./exec-helpers.js";
import { runHedge, tempDir } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const fixPatch = [
  "*** Begin Patch",
  "*** Update File: src/math.js",
  "@@ export function add(a, b) {",
  "-  return a - b;",
  "+  return a + b;",
  "*** Update File: README.md",
  "@@",
  " Adds numbers.",
  "+Fixed: add really adds.",
  "*** End Patch",
].join("\n");

describe("hedge exec", () => {
  it("reads, patches two files, runs the tests and answers, with Codex's JSONL events", async () => {
    fixture = await execFixture();
    fixture.upstream.push(
      {
        toolCalls: [{ name: "read_file", arguments: { path: "src/math.js" } }],
        usage: { inputTokens: 100, outputTokens: 10 },
      },
      {
        text: "Fixing add.",
        toolCalls: [{ name: "apply_patch", arguments: { input: fixPatch } }],
        usage: { inputTokens: 150, outputTokens: 40 },
      },
      {
        toolCalls: [{ name: "shell", arguments: { command: ["node", "test.js"] } }],
        usage: { inputTokens: 200, cachedTokens: 100, outputTokens: 8 },
      },
      {
        text: "Fixed add() and the README; tests pass.",
        usage: { inputTokens: 250, outputTokens: 12 },
      },
    );
    const run = await runHedge(["exec", "--json", "fix the failing test"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(readFileSync(join(fixture.repo.path, "src", "math.js"), "utf8")).toContain(
      "return a + b;",
    );
    expect(readFileSync(join(fixture.repo.path, "README.md"), "utf8")).toContain(
      "Fixed: add really adds.",
    );

    const all = parseJsonl(run.stdout);
    // Streamed command output arrives as item.updated events; how many depends on chunking.
    const updates = all.filter((event) => event.type === "item.updated");
    expect(
      updates.every((event) => (event["item"] as { type: string }).type === "command_execution"),
    ).toBe(true);
    const events = all.filter((event) => event.type !== "item.updated");
    const summary = events.map((event) => {
      const item = event["item"] as { type: string; status?: string } | undefined;
      return item
        ? `${event.type}:${item.type}${item.status ? `:${item.status}` : ""}`
        : event.type;
    });
    expect(summary).toEqual([
      "thread.started",
      "turn.started",
      "item.completed:route_decision",
      "item.started:tool_call:in_progress",
      "item.completed:tool_call:completed",
      "item.completed:agent_message",
      "item.completed:file_change:completed",
      "item.started:command_execution:in_progress",
      "item.completed:command_execution:completed",
      "item.completed:agent_message",
      "turn.completed",
    ]);
    const command = events.find(
      (event) =>
        event.type === "item.completed" &&
        (event["item"] as { type: string }).type === "command_execution",
    );
    expect(command?.["item"]).toMatchObject({
      command: "node test.js",
      exit_code: 0,
      duration_ms: expect.any(Number) as number,
      status: "completed",
    });
    expect((command?.["item"] as { aggregated_output: string }).aggregated_output).toContain(
      "tests passed",
    );
    const change = events.find(
      (event) =>
        event.type === "item.completed" &&
        (event["item"] as { type: string }).type === "file_change",
    );
    expect(change?.["item"]).toMatchObject({
      changes: [
        { path: "src/math.js", kind: "update" },
        { path: "README.md", kind: "update" },
      ],
      status: "completed",
    });
    // Each change carries its diff (what the TUI and a reader of --json show).
    const diffs = (change?.["item"] as { changes: { diff?: string }[] }).changes.map(
      (each) => each.diff ?? "",
    );
    expect(diffs[0]).toContain("--- a/src/math.js\n+++ b/src/math.js\n@@");
    expect(diffs[0]).toContain("-  return a - b;\n+  return a + b;");
    expect(events.at(-2)).toMatchObject({
      type: "item.completed",
      item: { type: "agent_message", text: "Fixed add() and the README; tests pass." },
    });
    expect(events.at(-1)).toEqual({
      type: "turn.completed",
      usage: {
        input_tokens: 700,
        cached_input_tokens: 100,
        cache_write_input_tokens: 0,
        output_tokens: 70,
        reasoning_output_tokens: 0,
      },
    });
    const threadId = threadIdOf(run.stdout);
    expect(threadId).toMatch(/^[0-9a-f-]{36}$/);
    // The model saw the tool results: the file's content and the test output went back to it.
    const requests = fixture.upstream.requestsTo("/v1/chat/completions");
    expect(requests).toHaveLength(4);
    expect(JSON.stringify(requests[1]?.body)).toContain("return a - b;");
    expect(JSON.stringify(requests[3]?.body)).toContain("tests passed");
  });

  it("prints progress to stderr and only the final message to stdout without --json", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "All good." });
    const run = await runHedge(["exec", "say hi"], { env: fixture.env, cwd: fixture.repo.path });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("All good.\n");
    expect(run.stderr).toContain("session ");
  });

  it("reads the prompt from stdin and writes the last message with -o", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "From stdin." });
    const out = join(fixture.home.path, "last.txt");
    const run = await runHedge(["exec", "-o", out, "-"], {
      env: fixture.env,
      cwd: fixture.repo.path,
      input: "what is up",
    });
    expect(run.code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe("From stdin.");
    expect(JSON.stringify(fixture.upstream.requests[0]?.body)).toContain("what is up");
  });

  it("refuses outside a git repository unless --skip-git-repo-check", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "ok" });
    const plain = tempDir("hedge-not-a-repo-");
    const refused = await runHedge(["exec", "hi"], { env: fixture.env, cwd: plain.path });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("not inside a git repository");
    expect(fixture.upstream.requests).toHaveLength(0);
    const allowed = await runHedge(["exec", "--skip-git-repo-check", "hi"], {
      env: fixture.env,
      cwd: plain.path,
    });
    plain.cleanup();
    expect(allowed.code).toBe(0);
  });

  it("fails the turn with exit 1 when the model stream errors", async () => {
    fixture = await execFixture();
    fixture.upstream.push({
      text: "partial words here",
      streamError: { afterChunks: 2, message: "upstream overloaded" },
    });
    const run = await runHedge(["exec", "--json", "hi"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code).toBe(1);
    const events = parseJsonl(run.stdout);
    expect(events.at(-1)).toMatchObject({
      type: "turn.failed",
      error: { message: expect.stringContaining("overloaded") as unknown },
    });
  });

  it("tells the model a command was declined when it needs approval", async () => {
    fixture = await execFixture(['approval_policy = "untrusted"']);
    fixture.upstream.push(
      { toolCalls: [{ name: "shell", arguments: { command: ["node", "test.js"] } }] },
      { text: "The command was declined." },
    );
    const run = await runHedge(["exec", "--json", "run the tests"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code).toBe(0);
    const events = parseJsonl(run.stdout);
    const command = events.find(
      (event) =>
        event.type === "item.completed" &&
        (event["item"] as { type: string }).type === "command_execution",
    );
    expect(command?.["item"]).toMatchObject({ status: "declined" });
    expect(JSON.stringify(fixture.upstream.requests[1]?.body)).toContain("approv");
  });

  it("gives malformed tool arguments back to the model as an error and goes on", async () => {
    fixture = await execFixture();
    fixture.upstream.push(
      { toolCalls: [{ name: "read_file", arguments: "{not json" }] },
      { text: "Sorry, retrying is not needed." },
    );
    const run = await runHedge(["exec", "--json", "read it"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code).toBe(0);
    expect(JSON.stringify(fixture.upstream.requests[1]?.body)).toContain("invalid_arguments");
  });
});
