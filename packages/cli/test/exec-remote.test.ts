// `hedge exec --gateway URL` against `hedge gateway serve` behaves as embedded `hedge exec` does:
// the same route decisions, the same refusal of a role the policy denies (before the turn), and
// its QA verdicts land in the server's stats. One scripted upstream serves both modes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempHome } from "@hedge/testkit";
import { items, rolesFixture, verdict, type ExecFixture } from "./exec-helpers.js";
import { startGateway, type GatewayProcess } from "./gateway-process.js";
import { runHedge, type HedgeRun } from "./run-hedge.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

const ROLES = ["[roles]", 'orchestrator = "lab/orch"', 'executor = "lab/exec"', 'qa = "lab/qa"'];

interface Modes {
  fixture: ExecFixture;
  gateway: GatewayProcess;
  embedded: (args: readonly string[]) => Promise<HedgeRun>;
  remote: (args: readonly string[]) => Promise<HedgeRun>;
}

/**
 * The fixture's home serves as the gateway's (providers, policy, roles); a second home holds
 * only the client's roles and reaches the models through `--gateway`.
 */
async function modes(extraServer: string[] = []): Promise<Modes> {
  const fixture = await rolesFixture(extraServer);
  stops.push(() => fixture.cleanup());
  const client = await makeTempHome();
  stops.push(() => client.cleanup());
  writeFileSync(join(client.path, "config.toml"), ROLES.join("\n"));
  const gateway = await startGateway(fixture.env);
  stops.push(() => gateway.stop());
  return {
    fixture,
    gateway,
    embedded: (args) => runHedge(args, { env: fixture.env, cwd: fixture.repo.path }),
    remote: (args) =>
      runHedge([...args, "--gateway", gateway.url], {
        env: { ...client.env, HOME: client.path },
        cwd: fixture.repo.path,
      }),
  };
}

/** The route decisions of a `--json` run, without their per-run ids. */
function decisions(stdout: string): Record<string, unknown>[] {
  return items(stdout, "route_decision").map(({ id: _id, ...rest }) => rest);
}

describe("hedge exec --gateway URL against hedge gateway serve", () => {
  it("emits the same route decisions as embedded mode, for an executor-only and an orchestrated turn", async () => {
    const m = await modes();
    const turn = (): void =>
      m.fixture.upstream.push(
        { match: { model: "exec" }, text: "README typo fixed." },
        verdict("pass", "the change matches the request"),
      );
    turn();
    const embedded = await m.embedded(["exec", "--json", "fix the typo in the README"]);
    turn();
    const remote = await m.remote(["exec", "--json", "fix the typo in the README"]);
    expect(embedded.code, embedded.stderr).toBe(0);
    expect(remote.code, remote.stderr).toBe(0);
    expect(decisions(remote.stdout).map((item) => item["role"])).toEqual(["executor", "qa"]);
    expect(decisions(remote.stdout)).toEqual(decisions(embedded.stdout));

    const orchestrated = (): void =>
      m.fixture.upstream.push(
        {
          match: { model: "orch" },
          toolCalls: [
            {
              name: "update_plan",
              arguments: { plan: [{ step: "fix add", status: "pending" }] },
            },
          ],
        },
        { match: { model: "orch" }, text: "Plan ready." },
        { match: { model: "exec" }, text: "add fixed." },
        verdict("pass", "done"),
      );
    orchestrated();
    const embeddedPlan = await m.embedded(["exec", "--json", "--orchestrate", "fix add"]);
    orchestrated();
    const remotePlan = await m.remote(["exec", "--json", "--orchestrate", "fix add"]);
    expect(embeddedPlan.code, embeddedPlan.stderr).toBe(0);
    expect(remotePlan.code, remotePlan.stderr).toBe(0);
    expect(decisions(remotePlan.stdout).map((item) => item["role"])).toEqual(
      decisions(embeddedPlan.stdout).map((item) => item["role"]),
    );
    expect(decisions(remotePlan.stdout)).toEqual(decisions(embeddedPlan.stdout));
  });

  it("refuses a role whose route the gateway's policy denies before the turn, as embedded mode does", async () => {
    // QA on a hosted model nobody logged in to: the local-first policy denies it.
    const m = await modes();
    const args = ["exec", "--json", "--role", "qa=anthropic/claude-haiku-4-5", "fix add"];
    const embedded = await m.embedded(args);
    const remote = await m.remote(args);
    for (const run of [embedded, remote]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'role qa: model "anthropic/claude-haiku-4-5" has no allowed route',
      );
      expect(run.stderr).toContain("--no-qa");
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    // Refused before the turn: no model was asked anything, in either mode.
    expect(m.fixture.upstream.requests).toEqual([]);
  });

  it("records its QA verdicts in the server's stats", async () => {
    const m = await modes();
    m.fixture.upstream.push(
      { match: { model: "exec" }, text: "first try" },
      verdict("block", "the test still fails"),
      { match: { model: "exec" }, text: "fixed for real" },
      verdict("pass", "tests pass"),
    );
    const run = await m.remote(["exec", "--json", "fix add"]);
    expect(run.code, run.stderr).toBe(0);
    expect(items(run.stdout, "qa_verdict").map((item) => item["verdict"])).toEqual([
      "block",
      "pass",
    ]);
    const byModel = ["stats", "--json", "--by", "model", "--since", "2020-01-01"];
    const stats = JSON.parse((await m.remote(byModel)).stdout) as {
      rows: { key: string; qa?: Record<string, number> }[];
    };
    expect(stats.rows.find((row) => row.key === "lab/qa")?.qa).toEqual({
      pass: 1,
      add_tasks: 0,
      block: 1,
    });
    // The server's own home says the same once it has flushed (it stops first).
    await m.gateway.stop();
    const local = JSON.parse((await m.embedded(byModel)).stdout) as typeof stats;
    expect(local.rows.find((row) => row.key === "lab/qa")?.qa).toEqual({
      pass: 1,
      add_tasks: 0,
      block: 1,
    });
  });
});
