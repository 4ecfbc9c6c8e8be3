// `hedge qa` as a Stop hook, through the built binary: Claude Code and Codex payloads, a real git
// repository with uncommitted work, and a scripted upstream serving the QA model.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  makeTempDir,
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempDir,
  type TempHome,
} from "@hedge/testkit";
import { runHedge } from "./run-hedge.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/qa/", import.meta.url));

interface HookFixture {
  upstream: ScriptedUpstream;
  home: TempHome;
  repo: TempDir;
  env: NodeJS.ProcessEnv;
  /** A fixture transcript copied into the temp home with `__CWD__` set to the repository. */
  transcript: (name: string) => string;
  cleanup: () => Promise<void>;
}

let fixture: HookFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/**
 * QA on `anth/claude-haiku-4-5` (Messages wire) served by the scripted upstream, and a repository
 * where the agent fixed src/math.js but left README.md alone (uncommitted work + a new file).
 */
async function hookFixture(config: string[] = []): Promise<HookFixture> {
  const upstream = await startScriptedUpstream();
  const home = await makeTempHome();
  const repo = await makeTempDir("hedge-qa-repo-");
  writeFileSync(
    join(home.path, "config.toml"),
    [
      "[roles]",
      'qa = "anth/claude-haiku-4-5"',
      ...config,
      "[providers.anth]",
      'type = "anthropic"',
      `base_url = "${upstream.url}/v1"`,
    ].join("\n"),
  );
  const git = (...args: string[]): void => {
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], {
      cwd: repo.path,
      stdio: "ignore",
    });
  };
  mkdirSync(join(repo.path, "src"));
  writeFileSync(
    join(repo.path, "src", "math.js"),
    "export function add(a, b) {\n  return a - b;\n}\n",
  );
  writeFileSync(join(repo.path, "README.md"), "# calc\n");
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "init");
  writeFileSync(
    join(repo.path, "src", "math.js"),
    "export function add(a, b) {\n  return a + b;\n}\n",
  );
  writeFileSync(join(repo.path, "src", "math.test.js"), "// TODO: write tests\n");
  return {
    upstream,
    home,
    repo,
    env: { ...home.env, HOME: home.path },
    transcript: (name) => {
      const path = join(home.path, name);
      const text = readFileSync(join(FIXTURES, name), "utf8").replaceAll("__CWD__", repo.path);
      writeFileSync(path, text);
      return path;
    },
    cleanup: async () => {
      await upstream.close();
      await home.cleanup();
      await repo.cleanup();
    },
  };
}

/** Claude Code's Stop hook input, as it sends it on stdin. */
function claudeStop(f: HookFixture, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    session_id: "5f0c2a7e-8d1b-4c3e-9a6f-2b7d1e4c8a90",
    transcript_path: f.transcript("claude-transcript.jsonl"),
    cwd: f.repo.path,
    permission_mode: "default",
    hook_event_name: "Stop",
    stop_hook_active: false,
    ...overrides,
  });
}

function verdict(value: { verdict: string; tasks: string[]; reason: string }) {
  return { toolCalls: [{ name: "report_verdict", arguments: value }] };
}

/** The text of the one user message the QA model received. */
function qaMaterial(f: HookFixture): string {
  const body = f.upstream.requests[0]?.body as {
    messages: { content: { type: string; text: string }[] }[];
  };
  expect(body.messages).toHaveLength(1);
  return body.messages[0]?.content.map((part) => part.text).join("") ?? "";
}

describe("hedge qa (Claude Code Stop hook)", () => {
  it("blocks with the QA reason, having shown the model only the last turn and the diff", async () => {
    fixture = await hookFixture();
    fixture.upstream.push(
      verdict({
        verdict: "block",
        tasks: ["Mention the fix in README.md", "Run node test.js"],
        reason: "The README was not changed and no test ran, yet the message says so.",
      }),
    );
    const run = await runHedge(["qa"], {
      env: fixture.env,
      cwd: fixture.repo.path,
      input: claudeStop(fixture),
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      decision: "block",
      reason:
        "hedge QA does not accept that this is done: The README was not changed and no test ran, yet the message says so.\nFix:\n- Mention the fix in README.md\n- Run node test.js",
    });

    expect(fixture.upstream.requests).toHaveLength(1);
    const request = fixture.upstream.requests[0]?.body as { model: string; tool_choice: unknown };
    expect(request.model).toBe("claude-haiku-4-5");
    expect(request.tool_choice).toMatchObject({ type: "tool", name: "report_verdict" });
    const sent = qaMaterial(fixture);
    // The last typed prompt (not the earlier question, the caveat or the local command output).
    expect(sent).toContain(
      "<user_request>\nFix add() so node test.js passes, and mention the fix in the README.\n</user_request>",
    );
    expect(sent).toContain(
      "<agent_final_message>\nFixed add() and updated the README; all tests pass.\n</agent_final_message>",
    );
    // The plan from the last TodoWrite.
    expect(sent).toContain(
      "- [completed] Fix add() in src/math.js\n- [pending] Mention the fix in README.md\n- [pending] Run node test.js",
    );
    // Uncommitted changes, the untracked file included.
    expect(sent).toContain('<file path="src/math.js" status="modified">');
    expect(sent).toContain("+  return a + b;");
    expect(sent).toContain('<file path="src/math.test.js" status="added">');
    expect(sent).toContain("uncommitted work against HEAD");
    // Nothing else of the conversation.
    for (const earlier of [
      "What does src/math.js do?",
      "It exports one function",
      "I'll fix add()",
      "Caveat:",
      "local-command-stdout",
      "→",
      "Todos have been modified",
    ]) {
      expect(sent).not.toContain(earlier);
    }
  });

  it("blocks with the tasks listed for add_tasks", async () => {
    fixture = await hookFixture();
    fixture.upstream.push(
      verdict({
        verdict: "add_tasks",
        tasks: ["Mention the fix in README.md"],
        reason: "add() is fixed; the README part is missing.",
      }),
    );
    const run = await runHedge(["qa"], { env: fixture.env, input: claudeStop(fixture) });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      decision: "block",
      reason:
        "hedge QA found missing work: add() is fixed; the README part is missing.\nDo these tasks, then stop:\n- Mention the fix in README.md",
    });
  });

  it("prints nothing on pass", async () => {
    fixture = await hookFixture();
    fixture.upstream.push(verdict({ verdict: "pass", tasks: [], reason: "Done as claimed." }));
    const run = await runHedge(["qa"], { env: fixture.env, input: claudeStop(fixture) });
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(fixture.upstream.requests).toHaveLength(1);
  });

  it("records each verdict for hedge stats: one block, then one pass", async () => {
    fixture = await hookFixture();
    fixture.upstream.push(
      verdict({ verdict: "block", tasks: ["Run node test.js"], reason: "No test ran." }),
      verdict({ verdict: "pass", tasks: [], reason: "Done as claimed." }),
    );
    const blocked = await runHedge(["qa"], { env: fixture.env, input: claudeStop(fixture) });
    expect(JSON.parse(blocked.stdout)).toMatchObject({ decision: "block" });
    // Claude Code runs the hook again once the agent continued and stopped again.
    const passed = await runHedge(["qa"], { env: fixture.env, input: claudeStop(fixture) });
    expect(passed).toEqual({ code: 0, stdout: "", stderr: "" });

    const stats = await runHedge(["stats", "--json", "--by", "model"], { env: fixture.env });
    expect(stats.code, stats.stderr).toBe(0);
    const rows = (JSON.parse(stats.stdout) as { rows: { key: string; calls: number }[] }).rows;
    expect(rows).toEqual([
      expect.objectContaining({
        key: "anth/claude-haiku-4-5",
        calls: 2,
        qa: { pass: 1, add_tasks: 0, block: 1 },
      }),
    ]);
  });

  it("never blocks twice: stop_hook_active makes no model call and prints nothing", async () => {
    fixture = await hookFixture();
    fixture.upstream.push(verdict({ verdict: "block", tasks: [], reason: "would block" }));
    const run = await runHedge(["qa"], {
      env: fixture.env,
      input: claudeStop(fixture, { stop_hook_active: true }),
    });
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("takes the QA model from --model over [roles] qa", async () => {
    fixture = await hookFixture();
    fixture.upstream.push(verdict({ verdict: "pass", tasks: [], reason: "ok" }));
    const run = await runHedge(["qa", "--model", "anth/claude-sonnet-4-5"], {
      env: fixture.env,
      input: claudeStop(fixture),
    });
    expect(run.code).toBe(0);
    expect((fixture.upstream.requests[0]?.body as { model: string }).model).toBe(
      "claude-sonnet-4-5",
    );
  });
});

describe("hedge qa (Codex)", () => {
  it("reads a Codex Stop hook payload and its rollout transcript", async () => {
    fixture = await hookFixture();
    fixture.upstream.push(
      verdict({ verdict: "block", tasks: [], reason: "README.md is unchanged." }),
    );
    const payload = JSON.stringify({
      session_id: "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      turn_id: "turn-2",
      transcript_path: fixture.transcript("codex-rollout.jsonl"),
      cwd: fixture.repo.path,
      hook_event_name: "Stop",
      model: "gpt-5-codex",
      permission_mode: "default",
      stop_hook_active: false,
      last_assistant_message: "Fixed add(); the README is updated too.",
    });
    const run = await runHedge(["qa"], { env: fixture.env, input: payload });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({
      decision: "block",
      reason: "hedge QA does not accept that this is done: README.md is unchanged.",
    });
    const sent = qaMaterial(fixture);
    expect(sent).toContain(
      "<user_request>\nFix add() so node test.js passes, and mention the fix in the README.\n</user_request>",
    );
    expect(sent).toContain("Fixed add(); the README is updated too.");
    expect(sent).toContain("- [completed] Fix add() in src/math.js\n- [pending] Mention the fix");
    expect(sent).not.toContain("environment_context");
  });

  it("takes Codex's notify payload as its last argument", async () => {
    fixture = await hookFixture();
    fixture.upstream.push(verdict({ verdict: "pass", tasks: [], reason: "ok" }));
    const payload = JSON.stringify({
      type: "agent-turn-complete",
      "thread-id": "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      "turn-id": "12345",
      cwd: fixture.repo.path,
      client: "codex-tui",
      "input-messages": ["What does add do?", "Fix add() so node test.js passes."],
      "last-assistant-message": "Fixed add().",
    });
    const run = await runHedge(["qa", payload], { env: fixture.env });
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    const sent = qaMaterial(fixture);
    expect(sent).toContain("<user_request>\nFix add() so node test.js passes.\n</user_request>");
    expect(sent).toContain("<agent_final_message>\nFixed add().\n</agent_final_message>");
    expect(sent).not.toContain("What does add do?");
  });
});

describe("hedge qa failures", () => {
  it.each([
    ["not JSON", "Stop!", /^hedge: qa: the hook payload is not JSON/],
    ["no payload", "", /^hedge: qa: no hook payload/],
    [
      "a payload without cwd",
      '{"hook_event_name":"Stop","session_id":"s","transcript_path":"/tmp/t.jsonl"}',
      /^hedge: qa: Stop hook payload: field cwd is missing$/,
    ],
    [
      "another hook event",
      '{"hook_event_name":"PreToolUse","cwd":"/tmp","tool_name":"Bash"}',
      /^hedge: qa: hedge qa is a Stop hook, got a PreToolUse payload: register it under hooks.Stop$/,
    ],
  ])("exits 1 (never blocking the agent) with one line on %s", async (_name, input, message) => {
    const run = await runHedge(["qa"], { env: { HEDGE_HOME: "/nonexistent" }, input });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr.trimEnd()).toMatch(message);
  });

  it("exits 1 with one line when the transcript is missing, calling no model", async () => {
    fixture = await hookFixture();
    const run = await runHedge(["qa"], {
      env: fixture.env,
      input: claudeStop(fixture, { transcript_path: join(fixture.home.path, "gone.jsonl") }),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `hedge: qa: transcript ${join(fixture.home.path, "gone.jsonl")}: no such file\n`,
    );
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it('on_error = "open": an invalid QA answer lets the agent stop, with a warning', async () => {
    fixture = await hookFixture();
    fixture.upstream.push({ text: "Looks good to me." });
    const run = await runHedge(["qa"], { env: fixture.env, input: claudeStop(fixture) });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      'hedge qa: QA could not verify this turn, letting the agent stop (qa.on_error = "open"): the QA model answered in text instead of calling report_verdict: "Looks good to me."\n',
    );
  });

  it('on_error = "closed": a failed QA call blocks, saying QA could not verify', async () => {
    fixture = await hookFixture(["[qa]", 'on_error = "closed"']);
    fixture.upstream.push({
      toolCalls: [{ name: "report_verdict", arguments: '{"verdict":"add_tasks","tasks":[]' }],
    });
    const run = await runHedge(["qa"], { env: fixture.env, input: claudeStop(fixture) });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const decision = JSON.parse(run.stdout) as { decision: string; reason: string };
    expect(decision.decision).toBe("block");
    expect(decision.reason).toMatch(
      /^hedge QA \(anth\/claude-haiku-4-5\) could not verify this turn and qa.on_error is "closed": the QA model's report_verdict arguments are not JSON/,
    );
  });
});
