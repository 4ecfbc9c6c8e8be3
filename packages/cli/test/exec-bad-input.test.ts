import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, type ExecFixture } from "./exec-helpers.js";
import { HEDGE_BIN, runHedge, runProcess } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

function exec(args: readonly string[], input?: string) {
  const active = fixture as ExecFixture;
  return runHedge(["exec", ...args], {
    env: active.env,
    cwd: active.repo.path,
    ...(input === undefined ? {} : { input }),
  });
}

describe("hedge exec -o FILE that cannot be written", () => {
  it("a missing directory (or a file where the directory should be): exit 2 before the turn", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "an answer nobody will keep", repeat: true });
    const missing = join(fixture.home.path, "no-such-dir", "answer.txt");
    const run = await exec(["-o", missing, "say hi"]);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      `hedge: -o ${missing}: the directory ${join(fixture.home.path, "no-such-dir")} does not exist`,
    );
    expect(run.stderr).not.toContain("unexpected error");

    const file = join(fixture.home.path, "a-file");
    writeFileSync(file, "");
    const underFile = await exec(["-o", join(file, "answer.txt"), "say hi"]);
    expect(underFile.code).toBe(2);
    expect(underFile.stderr.split("\n")[0]).toBe(
      `hedge: -o ${join(file, "answer.txt")}: the directory ${file} does not exist`,
    );
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("a read-only directory: exit 2 before the turn", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "an answer nobody will keep", repeat: true });
    const readOnly = join(fixture.home.path, "read-only");
    mkdirSync(readOnly);
    const target = join(readOnly, "answer.txt");
    // A read-only mount refuses writes whoever runs the test (root included).
    const run = await runProcess(
      "bwrap",
      [
        "--dev-bind",
        "/",
        "/",
        "--ro-bind",
        readOnly,
        readOnly,
        "--chdir",
        fixture.repo.path,
        process.execPath,
        HEDGE_BIN,
        "exec",
        "-o",
        target,
        "say hi",
      ],
      { env: fixture.env },
    );
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(
      `hedge: -o ${target}: the directory ${readOnly} is not writable`,
    );
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("a writable path gets the final message", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "Kept." });
    const target = join(fixture.home.path, "answer.txt");
    writeFileSync(target, "old");
    const run = await exec(["-o", target, "say hi"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(target, "utf8")).toBe("Kept.");
  });
});

describe("hedge exec with an empty prompt", () => {
  it("exits 2 whether the prompt is an argument or stdin", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "an answer to nothing", repeat: true });
    for (const run of [
      await exec([""]),
      await exec([" \n\t "]),
      await exec(["resume", "--last", "   "]),
      await exec(["-"], "  \n\n"),
      await exec([], "\t\n"),
    ]) {
      expect(run.code).toBe(2);
      expect(run.stderr.split("\n")[0]).toMatch(/^hedge: the prompt (read from stdin )?is empty$/);
    }
    expect(fixture.upstream.requests).toHaveLength(0);
  });
});

describe("hedge exec with a prompt larger than the model's window", () => {
  it("refuses 5 MB before any model call, with one line and a hint", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "read it all", repeat: true });
    const prompt = `summarise this log:\n${"2026-01-01 INFO request served in 12 ms\n".repeat(128_000)}`;
    const run = await exec(["-"], prompt);
    expect(run.code).toBe(2);
    const [line, hint] = run.stderr.split("\n");
    expect(line).toMatch(
      /^hedge: the prompt is about [\d,]+ tokens, more than the context window of "lab\/coder" \(128,000 tokens\)$/,
    );
    expect(hint).toContain("model_context_window");
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("uses model_context_window when the config sets it", async () => {
    fixture = await execFixture(["model_context_window = 1000"]);
    fixture.upstream.push({ text: "fits", repeat: true });
    const refused = await exec(["x".repeat(8_000)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('context window of "lab/coder" (1,000 tokens)');
    const fits = await exec(["--no-orchestrate", "x".repeat(2_000)]);
    expect(fits.code, fits.stderr).toBe(0);
    expect(fixture.upstream.requests).toHaveLength(1);
  });

  it("compaction never sends an oversized message again whole", async () => {
    fixture = await execFixture(["model_context_window = 1500"]);
    const output = "y".repeat(20_000);
    fixture.upstream.push(
      {
        toolCalls: [
          { name: "shell", arguments: { command: ["node", "-e", `console.log('${output}')`] } },
        ],
      },
      { toolCalls: [{ name: "shell", arguments: { command: ["echo", "short"] } }] },
      { text: "Summary: a long line was printed." },
      { text: "Done." },
    );
    const run = await exec(["--json", "print a long line"]);
    expect(run.code, run.stderr).toBe(0);
    const compaction = fixture.upstream.requests.find((request) =>
      JSON.stringify(request.body).includes("You compact a coding agent's conversation"),
    );
    const body = JSON.stringify(compaction?.body);
    // The shell kept 16 KB of the output; the summary request gets a clipped excerpt of it.
    expect(JSON.stringify(fixture.upstream.requests[1]?.body)).toContain("y".repeat(8_000));
    expect(body).not.toContain("y".repeat(6_000));
    expect(body).toContain("characters left out for the summary");
  });
});
