import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { evalFixture, okTask, runIdOf, type EvalFixture } from "./eval-harness.js";

let fixture: EvalFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const RUN = ["eval", "run", "--model", "scripted/coder"];

function logText(f: EvalFixture, runId: string, attempt: string): string {
  return readFileSync(join(f.runDir(runId), "logs", `${attempt}.jsonl`), "utf8");
}

describe("hedge eval run", () => {
  it("scores each task by its tests, gives failed output back once, and writes the report", async () => {
    fixture = await evalFixture([
      okTask("solves"),
      okTask("recovers", {
        attempt: [[{ write: "answer.txt", content: "almost\n" }], [{ say: "Fixed!" }]],
        afterFeedback: [[{ write: "answer.txt", content: "ok\n" }], [{ say: "now really" }]],
      }),
      okTask("only-talks", { attempt: [[{ say: "Fixed! The tests pass now." }]] }),
    ]);
    const run = await fixture.run([...RUN, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const runId = runIdOf(run.stderr);
    const byTask = Object.fromEntries(
      fixture.finished(runId).map((record) => [record.task, record]),
    );
    expect(byTask["solves"]).toMatchObject({ passed_1: true, passed_2: true, tool_calls: 1 });
    expect(byTask["recovers"]).toMatchObject({ passed_1: false, passed_2: true });
    expect(byTask["only-talks"]).toMatchObject({ passed_1: false, passed_2: false, tool_calls: 0 });
    // The feedback is the tests' own output, given back once.
    const feedback = fixture.upstream.requests.filter((request) =>
      request.rawBody.includes("hedge-eval: tests failed"),
    );
    expect(feedback.some((request) => request.rawBody.includes("answer.txt is not ok"))).toBe(true);
    const report = JSON.parse(run.stdout) as {
      arms: { pass_1: { x: number; n: number; low: number }; pass_2: { x: number } }[];
      title: string;
    };
    expect(report.arms[0]?.pass_1).toMatchObject({ x: 1, n: 3 });
    expect(report.arms[0]?.pass_1.low).toBeCloseTo(0.0615, 3);
    expect(report.arms[0]?.pass_2.x).toBe(2);
    for (const file of ["report.json", "report.md", "plot.svg", "manifest.json"])
      expect(existsSync(join(fixture.runDir(runId), file)), file).toBe(true);
    expect(readFileSync(join(fixture.runDir(runId), "report.md"), "utf8")).toContain(
      "1/3 = 0.33 [0.06, 0.79]",
    );
  });

  it("keeps parallel attempts apart: one cannot read another's worktree", async () => {
    fixture = await evalFixture([
      okTask("writer", {
        attempt: [
          [{ run: ["bash", "-c", "echo LEAKED-BY-WRITER > leak.txt; sleep 4"] }],
          [{ write: "answer.txt", content: "ok\n" }],
          [{ say: "done" }],
        ],
      }),
      okTask("reader", {
        attempt: [
          [
            {
              run: [
                "bash",
                "-c",
                "sleep 1; ls -a ..; cat ../*/leak.txt; cat ../../repos/*/leak.txt; true",
              ],
            },
          ],
          [{ write: "answer.txt", content: "ok\n" }],
          [{ say: "done" }],
        ],
      }),
    ]);
    const run = await fixture.run([...RUN, "--parallel", "2"]);
    expect(run.code, run.stderr).toBe(0);
    const runId = runIdOf(run.stderr);
    const records = fixture.finished(runId);
    const reader = records.find((record) => record.task === "reader");
    const writer = records.find((record) => record.task === "writer");
    expect(reader && writer).toBeTruthy();
    const readerLog = logText(fixture, runId, reader?.attempt ?? "");
    // The reader listed its siblings (so it looked while the writer ran) but read nothing of theirs.
    expect(readerLog).toContain(writer?.attempt ?? "missing");
    expect(readerLog).not.toContain("LEAKED-BY-WRITER");
  });

  it("hides the tests until the agent is done and scores with the real ones", async () => {
    fixture = await evalFixture([
      okTask("peeker", {
        tests: { "check.sh": "# the answer is HIDDEN-ANSWER\ngrep -qx ok answer.txt\n" },
        attempt: [
          [{ read: "tests/check.sh" }],
          [{ read: "{TASKS}/peeker/tests/check.sh" }],
          [
            {
              run: [
                "bash",
                "-c",
                "cat tests/check.sh {TASKS}/peeker/tests/check.sh {TASKS}/*/tests/*; true",
              ],
            },
          ],
          // A test of its own that always passes: replaced by the real one before scoring.
          [{ write: "tests/check.sh", content: "exit 0\n" }],
          [{ say: "done" }],
        ],
      }),
    ]);
    const run = await fixture.run(RUN);
    expect(run.code, run.stderr).toBe(0);
    const runId = runIdOf(run.stderr);
    const [record] = fixture.finished(runId);
    expect(record).toMatchObject({ task: "peeker", passed_1: false, passed_2: false });
    const sent = fixture.upstream.requests.map((request) => request.rawBody).join("\n");
    expect(sent).not.toContain("HIDDEN-ANSWER");
  });
});

describe("hedge eval run --tools default,js", () => {
  it("compares tool calls per solved task between tool sets on the same tasks", async () => {
    const files = Object.fromEntries(
      ["a", "b", "c", "d"].map((name) => [`src/${name}.txt`, "old\n"]),
    );
    fixture = await evalFixture([
      {
        id: "many-files",
        workspace: files,
        tests: { "check.sh": 'for f in src/*.txt; do grep -qx new "$f" || exit 1; done\n' },
        attempt: [
          Object.keys(files).map((path) => ({ read: path })),
          Object.keys(files).map((path) => ({ write: path, content: "new\n" })),
          [{ say: "done" }],
        ],
      },
    ]);
    const run = await fixture.run([...RUN, "--tools", "default,js", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      arms: { toolset: string; pass_2: { x: number }; tool_calls_per_solved: number }[];
    };
    const arm = (toolset: string) => report.arms.find((candidate) => candidate.toolset === toolset);
    expect(arm("default")).toMatchObject({ pass_2: { x: 1 }, tool_calls_per_solved: 8 });
    expect(arm("js")).toMatchObject({ pass_2: { x: 1 }, tool_calls_per_solved: 2 });
  });
});

describe("hedge eval run against hostile tasks and models", () => {
  const SECRET = "sk-evaltest-0123456789abcdefSECRET";

  it("runs a task's test command in the sandbox: it cannot read $HEDGE_HOME, and the model never sees it", async () => {
    fixture = await evalFixture(
      [
        okTask("nosy-test", {
          // The test prints the user's config (a key in it): the output is fed back to the model.
          test: [["bash", "-c", "cat {HEDGE_HOME}/config.toml; ls {HEDGE_HOME}; exit 1"]],
          attempt: [[{ say: "done" }]],
          afterFeedback: [[{ say: "still done" }]],
        }),
      ],
      [`api_key = "${SECRET}"`],
    );
    const run = await fixture.run(RUN);
    expect(run.code, run.stderr).toBe(0);
    const feedback = fixture.upstream.requests.filter((request) =>
      request.rawBody.includes("hedge-eval: tests failed"),
    );
    expect(feedback).toHaveLength(1);
    for (const request of fixture.upstream.requests) {
      expect(request.rawBody).not.toContain(SECRET);
      expect(request.rawBody).not.toContain("providers.scripted");
    }
  });

  // The sandbox keeps the repository's .git read-only (core's protection); the runner's own git
  // after the attempt also runs nothing a repository's config or attributes name.
  it("runs none of the model's git config on the host after the attempt", async () => {
    fixture = await evalFixture([
      okTask("git-trap", {
        attempt: [
          [
            {
              run: [
                "bash",
                "-c",
                [
                  "printf '#!/bin/sh\\ntouch {ROOT}/pwned\\n' > evil.sh && chmod +x evil.sh",
                  "common=$(git rev-parse --git-common-dir); here=$(pwd)",
                  'git config --file "$common/config" core.fsmonitor "$here/evil.sh"; echo "config: $?"',
                  'git config --file "$common/config" diff.external "$here/evil.sh"',
                  'printf "*.txt filter=evil diff=evil\\n" > .gitattributes',
                  'git config --file "$common/config" filter.evil.clean "$here/evil.sh"',
                  'git config --file "$common/config" diff.evil.textconv "$here/evil.sh"',
                  "true",
                ].join("; "),
              ],
            },
          ],
          [{ write: "answer.txt", content: "ok\n" }],
          [{ say: "done" }],
        ],
      }),
    ]);
    const run = await fixture.run(RUN);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(fixture.root, "pwned"))).toBe(false);
  });
});

describe("hedge eval run on a hosted provider", () => {
  it("needs --budget-usd, and refuses a model with no allowed route before any attempt", async () => {
    fixture = await evalFixture(
      [okTask("paid")],
      [
        'class = "hosted"',
        'api_key = "sk-evaltest-hosted-0123456789"',
        "[policy]",
        'allow_classes = ["local", "hosted"]',
      ],
    );
    const refused = await fixture.run(RUN);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "scripted/coder routes to a hosted provider: an eval run needs --budget-usd",
    );
    expect(fixture.upstream.requestsTo("/v1/chat/completions")).toHaveLength(0);
    const paid = await fixture.run([...RUN, "--budget-usd", "1"]);
    expect(paid.code, paid.stderr).toBe(0);
    expect(fixture.finished(runIdOf(paid.stderr))).toHaveLength(1);
    const unknown = await fixture.run(["eval", "run", "--model", "nowhere/model"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/nowhere\/model/);
  });
});

describe("hedge eval report and compare", () => {
  it("rebuilds a run's report, and refuses to compare runs over different task sets", async () => {
    fixture = await evalFixture([okTask("first"), okTask("second")]);
    const a = await fixture.run([...RUN, "--tasks", "first"]);
    const b = await fixture.run([...RUN, "--tasks", "second"]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const [runA, runB] = [runIdOf(a.stderr), runIdOf(b.stderr)];
    const report = await fixture.run(["eval", "report", runA]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain(`run ${runA}`);
    expect(report.stdout).toContain("1/1 = 1.00 [0.21, 1.00]");
    const compared = await fixture.run(["eval", "compare", runA, runB]);
    expect(compared.code).toBe(2);
    expect(compared.stderr).toContain("runs used different task sets");
    expect(compared.stderr).toContain("rerun one with the other's --tasks");
    const again = await fixture.run([
      "eval",
      "run",
      "--model",
      "scripted/coder",
      "--tasks",
      "first",
    ]);
    const small = await fixture.run(["eval", "compare", runA, runIdOf(again.stderr)]);
    expect(small.code).toBe(2);
    expect(small.stderr).toContain(
      "can't tell these apart: 0 tasks only A solved, 0 only B, p = 1.00 at n = 1",
    );
  });
});
