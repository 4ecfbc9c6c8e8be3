import { afterEach, describe, expect, it } from "vitest";
import {
  items,
  modelsCalled,
  parseJsonl,
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

describe("QA rounds in a turn", () => {
  it("QA block sends the executor back; then QA passes", async () => {
    const current = await setup();
    current.upstream.push(
      { match: { model: "exec" }, text: "All tests pass." },
      verdict("block", "no test was run"),
      {
        match: { model: "exec" },
        toolCalls: [{ name: "shell", arguments: { command: ["node", "test.js"] } }],
      },
      { match: { model: "exec" }, text: "Ran the tests: they fail; add() subtracts." },
      verdict("pass", "honest report"),
    );
    const run = await runHedge(["exec", "--json", "check the tests"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.code).toBe(0);
    expect(modelsCalled(current)).toEqual(["exec", "qa", "exec", "exec", "qa"]);
    expect(items(run.stdout, "qa_verdict").map((item) => [item["verdict"], item["round"]])).toEqual(
      [
        ["block", 1],
        ["pass", 2],
      ],
    );
    expect(JSON.stringify(current.upstream.requests[2]?.body)).toContain("no test was run");
    expect(parseJsonl(run.stdout).at(-2)).toMatchObject({
      item: { type: "agent_message", text: "Ran the tests: they fail; add() subtracts." },
    });
  });

  it("add_tasks puts the tasks into the plan and the executor continues", async () => {
    const current = await setup();
    current.upstream.push(
      { match: { model: "exec" }, text: "Fixed add()." },
      verdict("add_tasks", "tests were not updated", ["add a test for add(-1, 1)"]),
      { match: { model: "exec" }, text: "Added the test." },
      verdict("pass", "ok"),
    );
    const run = await runHedge(["exec", "--json", "fix add"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.code).toBe(0);
    expect(items(run.stdout, "todo_list").at(-1)).toMatchObject({
      items: [{ text: "add a test for add(-1, 1)", completed: false }],
    });
    expect(JSON.stringify(current.upstream.requests[2]?.body)).toContain(
      "add a test for add(-1, 1)",
    );
  });

  it("stops after qa.max_rounds and reports the open findings", async () => {
    const current = await setup(["[qa]", "max_rounds = 2"]);
    current.upstream.push(
      { match: { model: "exec" }, text: "done" },
      verdict("block", "nothing changed"),
      { match: { model: "exec" }, text: "done now" },
      verdict("block", "still nothing changed"),
    );
    const run = await runHedge(["exec", "--json", "improve it"], {
      env: current.env,
      cwd: current.repo.path,
    });
    expect(run.code).toBe(0);
    expect(modelsCalled(current)).toEqual(["exec", "qa", "exec", "qa"]);
    const notices = items(run.stdout, "notice").map((item) => String(item["message"]));
    expect(
      notices.some(
        (message) =>
          message.includes("QA findings still open after 2 round(s)") &&
          message.includes("still nothing changed"),
      ),
    ).toBe(true);
  });

  it("invalid QA output: open warns and completes, closed fails the turn", async () => {
    for (const [mode, code] of [
      ["open", 0],
      ["closed", 1],
    ] as const) {
      const current = await setup(["[qa]", `on_error = "${mode}"`]);
      current.upstream.push(
        { match: { model: "exec" }, text: "done" },
        { match: { model: "qa" }, text: "looks fine to me" },
      );
      const run = await runHedge(["exec", "--json", "do it"], {
        env: current.env,
        cwd: current.repo.path,
      });
      expect(run.code).toBe(code);
      const last = parseJsonl(run.stdout).at(-1);
      if (mode === "open") {
        expect(last?.type).toBe("turn.completed");
        expect(
          items(run.stdout, "notice").some((item) =>
            String(item["message"]).includes("QA could not verify"),
          ),
        ).toBe(true);
      } else {
        expect(last).toMatchObject({
          type: "turn.failed",
          error: { message: expect.stringContaining("QA could not verify") as unknown },
        });
      }
      await current.cleanup();
      fixture = undefined;
    }
  });
});
