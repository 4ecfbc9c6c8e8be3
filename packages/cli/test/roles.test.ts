import { afterEach, describe, expect, it } from "vitest";
import {
  execFixture,
  items,
  modelsCalled,
  rolesFixture,
  verdict,
  type ExecFixture,
} from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

async function setup(extra: string[] = []): Promise<ExecFixture> {
  fixture = await rolesFixture(extra);
  return fixture;
}

describe("roles per turn", () => {
  it("an executor-only turn: the executor answers, then QA checks it", async () => {
    const current = await setup();
    current.upstream.push(
      { match: { model: "exec" }, text: "README typo fixed." },
      verdict("pass", "the change matches the request"),
    );
    const run = await runHedge(["exec", "--json", "fix the typo in the README"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(modelsCalled(current)).toEqual(["exec", "qa"]);
    const decisions = items(run.stdout, "route_decision");
    expect(decisions.map((item) => item["role"])).toEqual(["executor", "qa"]);
    expect(decisions[0]?.["reason"]).toContain("executor-only turn");
    expect(items(run.stdout, "qa_verdict")).toEqual([
      expect.objectContaining({ verdict: "pass", round: 1 }) as unknown,
    ]);
    // QA got exactly the prompt and the last message, with the verdict tool forced.
    const qaRequest = current.upstream.requests[1]?.body as {
      tool_choice: unknown;
      messages: unknown[];
    };
    expect(JSON.stringify(qaRequest)).toContain("fix the typo in the README");
    expect(JSON.stringify(qaRequest)).toContain("README typo fixed.");
    expect(qaRequest.tool_choice).toEqual({
      type: "function",
      function: { name: "report_verdict" },
    });
  });

  it("an orchestrated turn: orchestrator plans, executor implements, QA checks; each decision announced", async () => {
    const current = await setup();
    current.upstream.push(
      {
        match: { model: "orch" },
        toolCalls: [
          {
            name: "update_plan",
            arguments: {
              plan: [
                { step: "fix add()", status: "pending" },
                { step: "run the tests", status: "pending" },
              ],
            },
          },
        ],
      },
      {
        match: { model: "orch" },
        text: "Change `a - b` to `a + b` in src/math.js, then run node test.js.",
      },
      {
        match: { model: "exec" },
        toolCalls: [{ name: "shell", arguments: { command: ["node", "test.js"] } }],
      },
      { match: { model: "exec" }, text: "Done: add() fixed." },
      verdict("pass", "ok"),
    );
    const run = await runHedge(["exec", "--json", "--orchestrate", "fix add"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.code).toBe(0);
    expect(modelsCalled(current)).toEqual(["orch", "orch", "exec", "exec", "qa"]);
    const decisions = items(run.stdout, "route_decision");
    expect(decisions.map((item) => item["role"])).toEqual(["orchestrator", "executor", "qa"]);
    expect(decisions[0]?.["reason"]).toContain("requested with --orchestrate");
    expect(items(run.stdout, "todo_list")[0]).toMatchObject({
      items: [
        { text: "fix add()", completed: false },
        { text: "run the tests", completed: false },
      ],
    });
    // The executor was handed the orchestrator's instructions; the orchestrator had no write tools.
    expect(JSON.stringify(current.upstream.requests[2]?.body)).toContain("[from the orchestrator]");
    const orchestratorTools = (
      current.upstream.requests[0]?.body as { tools: { function: { name: string } }[] }
    ).tools.map((tool) => tool.function.name);
    expect(orchestratorTools).not.toContain("shell");
    expect(orchestratorTools).not.toContain("apply_patch");
  });

  it("the heuristic orchestrates broad prompts; config rules decide first", async () => {
    const current = await setup(["[[roles.rules]]", 'match = "typo"', 'mode = "orchestrated"']);
    current.upstream.push(
      { match: { model: "orch" }, text: "Just fix it." },
      { match: { model: "exec" }, text: "Fixed." },
      verdict("pass", "ok"),
    );
    const run = await runHedge(["exec", "--json", "fix the typo"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.code).toBe(0);
    expect(items(run.stdout, "route_decision")[0]?.["reason"]).toContain("roles.rules[0]");
  });

  it("escalates to the orchestrator after repeated tool failures", async () => {
    const current = await setup();
    current.upstream.push(
      { match: { model: "orch" }, text: "Read src/calc.js and fix it." },
      {
        match: { model: "exec" },
        toolCalls: [{ name: "read_file", arguments: { path: "src/calc.js" } }],
      },
      {
        match: { model: "exec" },
        toolCalls: [{ name: "read_file", arguments: { path: "src/calc2.js" } }],
      },
      {
        match: { model: "exec" },
        toolCalls: [{ name: "read_file", arguments: { path: "src/calc3.js" } }],
      },
      { match: { model: "orch" }, text: "The file is src/math.js, not src/calc.js." },
      { match: { model: "exec" }, text: "Understood; nothing else to do." },
      verdict("pass", "ok"),
    );
    const run = await runHedge(["exec", "--json", "--orchestrate", "fix calc"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.code).toBe(0);
    expect(modelsCalled(current)).toEqual(["orch", "exec", "exec", "exec", "orch", "exec", "qa"]);
    expect(
      items(run.stdout, "notice").some((item) =>
        String(item["message"]).includes(
          "escalated to the orchestrator: 3 tool calls in a row failed",
        ),
      ),
    ).toBe(true);
  });

  it("--single-model and --role override, and --no-qa skips QA", async () => {
    const current = await setup();
    current.upstream.push({ match: { model: "other" }, text: "one model" });
    const run = await runHedge(["exec", "--json", "--single-model", "lab/other", "--no-qa", "hi"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.code).toBe(0);
    expect(modelsCalled(current)).toEqual(["other"]);
    current.upstream.push(
      { match: { model: "exec2" }, text: "exec2 here" },
      {
        match: { model: "qa2" },
        toolCalls: [
          { name: "report_verdict", arguments: { verdict: "pass", tasks: [], reason: "ok" } },
        ],
      },
    );
    const again = await runHedge(
      ["exec", "--json", "--role", "executor=lab/exec2", "--role", "qa=lab/qa2", "hi"],
      { env: current.env, cwd: current.repo.path },
    );
    expect(again.code).toBe(0);
    expect(modelsCalled(current).slice(1)).toEqual(["exec2", "qa2"]);
    const bad = await runHedge(["exec", "--role", "tester=lab/x", "hi"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--role expects ROLE=MODEL");
  });

  it("a role without an allowed route fails before the turn, naming the role", async () => {
    const current = await setup();
    const run = await runHedge(
      ["exec", "--json", "--role", "qa=anthropic/claude-haiku-4-5", "hi"],
      { env: current.env, cwd: current.repo.path },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'role qa: model "anthropic/claude-haiku-4-5" has no allowed route',
    );
    expect(run.stderr).toContain("--no-qa");
    expect(current.upstream.requests).toHaveLength(0);
  });

  it("hedge stats totals equal the upstream's recorded usage", async () => {
    const current = await setup();
    current.upstream.push(
      {
        match: { model: "exec" },
        toolCalls: [{ name: "list_dir", arguments: { path: "." } }],
        usage: { inputTokens: 120, outputTokens: 15 },
      },
      {
        match: { model: "exec" },
        text: "Listed.",
        usage: { inputTokens: 180, cachedTokens: 100, outputTokens: 9 },
      },
      { ...verdict("pass", "ok"), usage: { inputTokens: 90, outputTokens: 20 } },
    );
    const run = await runHedge(["exec", "--json", "list the files"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.code).toBe(0);
    const stats = await runHedge(["stats", "--json", "--by", "role"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(stats.code).toBe(0);
    const rows = (
      JSON.parse(stats.stdout) as {
        rows: {
          key: string;
          calls: number;
          input_tokens: number;
          cached_input_tokens: number;
          output_tokens: number;
          tool_calls: number;
          qa: { pass: number };
        }[];
      }
    ).rows;
    const byRole = Object.fromEntries(rows.map((row) => [row.key, row]));
    expect(byRole["executor"]).toMatchObject({
      calls: 2,
      input_tokens: 300,
      cached_input_tokens: 100,
      output_tokens: 24,
      tool_calls: 1,
    });
    expect(byRole["qa"]).toMatchObject({
      calls: 1,
      input_tokens: 90,
      output_tokens: 20,
      qa: { pass: 1 },
    });
    const table = await runHedge(["stats", "--by", "model"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(table.stdout).toContain("lab/exec");
  });
});

describe("orchestration needs an orchestrator route", () => {
  it("a heuristic orchestration without one runs the executor alone and says so", async () => {
    fixture = await execFixture(
      ["[roles]", 'orchestrator = "cloud/planner"', 'executor = "lab/exec"'],
      {},
    );
    fixture.upstream.push({ match: { model: "exec" }, text: "Refactored." });
    const run = await runHedge(["exec", "--json", "refactor the parser"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code).toBe(0);
    expect(modelsCalled(fixture)).toEqual(["exec"]);
    const notice = items(run.stdout, "notice").map((item) => String(item["message"]));
    expect(
      notice.some(
        (message) =>
          message.startsWith("orchestration skipped") && message.includes("cloud/planner"),
      ),
    ).toBe(true);
  });

  it("an explicit --orchestrate without one fails before the turn", async () => {
    fixture = await execFixture(
      ["[roles]", 'orchestrator = "cloud/planner"', 'executor = "lab/exec"'],
      {},
    );
    const run = await runHedge(["exec", "--orchestrate", "refactor the parser"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('role orchestrator: model "cloud/planner" has no allowed route');
    expect(fixture.upstream.requests).toHaveLength(0);
  });
});
