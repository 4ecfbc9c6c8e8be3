import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startScriptedUpstream, type ScriptedUpstream } from "@hedge/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { initRepo, makeHome, waitFor, type Home } from "./harness.js";

let home: Home;
let upstream: ScriptedUpstream;
afterEach(async () => {
  await home?.cleanup();
  await upstream?.close();
});

const fixPatch = [
  "*** Begin Patch",
  "*** Update File: src/math.js",
  "@@ export function add(a, b) {",
  "-  return a - b;",
  "+  return a + b;",
  "*** End Patch",
].join("\n");

/** A home routing `lab/coder` to the scripted upstream, and a repo whose test fails until add() is fixed. */
async function setup(extraConfig = ""): Promise<string> {
  upstream = await startScriptedUpstream();
  home = await makeHome(
    [
      'model = "lab/coder"',
      extraConfig,
      "[qa]",
      "enabled = false",
      "[providers.lab]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
    ].join("\n"),
  );
  const repo = join(home.work, "repo");
  mkdirSync(join(repo, "src"), { recursive: true });
  writeFileSync(join(repo, "src", "math.js"), "export function add(a, b) {\n  return a - b;\n}\n");
  writeFileSync(
    join(repo, "test.js"),
    'import { add } from "./src/math.js";\nif (add(2, 3) !== 5) process.exit(1);\n',
  );
  writeFileSync(join(repo, "package.json"), '{ "type": "module" }\n');
  initRepo(repo);
  return repo;
}

describe("--agent hedge: hedge exec --json as a guarded child, against the scripted upstream", () => {
  it("a real fix: succeeded by exit and verify, changed, tokens recorded", async () => {
    const repo = await setup();
    upstream.push(
      {
        toolCalls: [{ name: "apply_patch", arguments: { input: fixPatch } }],
        usage: { inputTokens: 100, outputTokens: 20 },
      },
      { text: "Fixed add().", usage: { inputTokens: 150, outputTokens: 5 } },
    );
    const added = await home.hedge([
      "loop",
      "add",
      "fix",
      "--every",
      "1h",
      "--agent",
      "hedge",
      "--cwd",
      repo,
      "--max-turns",
      "5",
      "--verify",
      "node test.js",
      "--",
      "fix",
      "the",
      "failing",
      "test",
    ]);
    expect(added.code, added.stderr).toBe(0);
    await home.startDaemon();
    await home.hedge(["loop", "run", "fix"]);
    const run = await waitFor(
      "the hedge run",
      () => home.runs("fix").find((r) => r.endedAtMs !== null),
      60_000,
    );
    const log = readFileSync(run.logPath!, "utf8");
    expect(run, log).toEqual(
      expect.objectContaining({
        status: "succeeded",
        exitCode: 0,
        verifyExitCode: 0,
        outcome: "changed",
        diffFiles: 1,
      }),
    );
    expect(run.inputTokens).toBe(250);
    expect(run.outputTokens).toBe(25);
    expect(readFileSync(join(repo, "src", "math.js"), "utf8")).toContain("a + b");
  });

  it("an agent that says it is done but changed nothing fails on --verify, and is marked no_changes (#95272)", async () => {
    const repo = await setup();
    upstream.push({ text: "All fixed, tests pass.", usage: { inputTokens: 10, outputTokens: 5 } });
    await home.hedge([
      "loop",
      "add",
      "liar",
      "--every",
      "1h",
      "--agent",
      "hedge",
      "--cwd",
      repo,
      "--verify",
      "node test.js",
      "--",
      "fix it",
    ]);
    await home.startDaemon();
    await home.hedge(["loop", "run", "liar"]);
    const run = await waitFor(
      "the hedge run",
      () => home.runs("liar").find((r) => r.endedAtMs !== null),
      60_000,
    );
    expect(run).toEqual(
      expect.objectContaining({
        status: "failed",
        reason: "verify exit 1",
        exitCode: 0,
        outcome: "no_changes",
      }),
    );
  });

  it("--max-turns caps the agent's model calls: a run that keeps calling tools fails", async () => {
    const repo = await setup();
    upstream.push({
      toolCalls: [{ name: "shell", arguments: { command: ["true"] } }],
      repeat: true,
    });
    await home.hedge([
      "loop",
      "add",
      "spin",
      "--every",
      "1h",
      "--agent",
      "hedge",
      "--cwd",
      repo,
      "--max-turns",
      "2",
      "--",
      "spin",
    ]);
    await home.startDaemon();
    await home.hedge(["loop", "run", "spin"]);
    const run = await waitFor(
      "the hedge run",
      () => home.runs("spin").find((r) => r.endedAtMs !== null),
      60_000,
    );
    expect(run).toEqual(expect.objectContaining({ status: "failed", reason: "exit 1" }));
    expect(readFileSync(run.logPath!, "utf8")).toContain("after 2 model calls");
    expect(upstream.requests.length).toBe(2);
  });
});

describe("[hooks]: session events run loops in the daemon", () => {
  it("hedge exec's finished turn queues the hook loop, which runs even after the session closed; a hedge hook loop does not re-trigger itself", async () => {
    const repo = await setup('[hooks]\nturn_completed = ["after-turn", "review"]');
    const mark = join(home.work, "hook-ran");
    await home.hedge([
      "loop",
      "add",
      "after-turn",
      "--agent",
      "command",
      "--",
      "/bin/sh",
      "-c",
      `echo ran >> ${mark}`,
    ]);
    // A hedge loop named by the same hook: its own turn must not fire the hook again.
    await home.hedge(["loop", "add", "review", "--agent", "hedge", "--cwd", repo, "--", "review"]);
    upstream.push(
      { text: "Done.", usage: { inputTokens: 1, outputTokens: 1 } },
      { text: "Reviewed.", usage: { inputTokens: 1, outputTokens: 1 } },
    );
    // The daemon is down while the session runs and closes.
    const exec = await home.hedge(["exec", "--json", "say done"], { cwd: repo });
    expect(exec.code, exec.stderr).toBe(0);
    expect(home.runs("after-turn")).toEqual([
      expect.objectContaining({ trigger: "hook", status: "queued" }),
    ]);
    await home.startDaemon();
    await waitFor(
      "the hook runs",
      () =>
        [...home.runs("after-turn"), ...home.runs("review")].every((r) => r.endedAtMs !== null) &&
        true,
      60_000,
    );
    expect(readFileSync(mark, "utf8")).toBe("ran\n");
    expect(home.runs("review")).toEqual([
      expect.objectContaining({ trigger: "hook", status: "succeeded" }),
    ]);
    expect(home.runs("after-turn")).toHaveLength(1);
  });
});
