// The whole app on a real thread, for what the session wires around the thread: the user's MCP
// servers (a real server-everything over stdio), `[hooks]` at each turn's end.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { buildLoopSpec, SqliteLedger, ledgerPath } from "@hedge/daemon";
import { command, delta, roleActivity, updated } from "../src/tui/test-utils/events.js";
import { AppRig, type AppRigOptions } from "./app-rig.js";

const EVERYTHING = fileURLToPath(
  new URL(
    "../../core/node_modules/@modelcontextprotocol/server-everything/dist/index.js",
    import.meta.url,
  ),
);

const rigs: AppRig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.stop();
});

async function start(options: AppRigOptions): Promise<AppRig> {
  const rig = await AppRig.start(options);
  rigs.push(rig);
  return rig;
}

const idle = (rig: AppRig) => () => rig.controller.store.getState().phase === "idle";

const everything = {
  mcp_servers: { everything: { command: process.execPath, args: [EVERYTHING, "stdio"] } },
};

describe("MCP servers in the session", () => {
  it("the model calls an MCP tool: the transcript shows server/tool, its status and its folded result", async () => {
    const rig = await start({
      config: everything,
      replies: [
        {
          toolCalls: [{ name: "mcp__everything__echo", arguments: { message: "hello from mcp" } }],
        },
        { text: "echoed" },
      ],
    });
    rig.keys("echo it\r");
    await rig.waitForText(/echoed/);
    const screen = rig.text();
    expect(screen).toMatch(/✓ everything\/echo/);
    expect(screen).toMatch(/│ Echo: hello from mcp/);
    // The model got the tool's result.
    expect(JSON.stringify(rig.seen.at(-1)?.body)).toContain("Echo: hello from mcp");
  });

  it("/mcp shows each server's state and context cost; /status carries the MCP total", async () => {
    const rig = await start({
      config: {
        ...everything,
        mcp_servers: {
          ...everything.mcp_servers,
          broken: { command: "/nonexistent/mcp-server" },
        },
      },
    });
    rig.keys("/mcp\r");
    await rig.waitForText(/everything: ready · \d+ tools · [\d,]+ tokens \(\d+\.\d% of context\)/);
    expect(rig.text()).toMatch(/broken: failed/);
    expect(rig.text()).toMatch(/mcp: 1 of 2 servers ready · [\d,]+ tokens of tools/);
    rig.keys("/status\r");
    await rig.waitFor(
      () => (rig.text().match(/mcp: 1 of 2 servers ready/g) ?? []).length === 2,
      "the MCP line of /status",
    );
    expect(idle(rig)()).toBe(true);
  });
});

/** Adds a command loop named `name` (no schedule: it runs only when something queues it). */
function addLoop(rig: AppRig, name: string): void {
  const ledger = new SqliteLedger(ledgerPath(rig.home.path));
  try {
    const now = Date.now();
    const { spec } = buildLoopSpec(
      { name, agent: "command", env: [], rest: ["/bin/true"], cwd: rig.workspace.path },
      { now, cwd: rig.workspace.path, path: process.env["PATH"] },
    );
    ledger.addLoop(spec, now);
  } finally {
    ledger.close();
  }
}

/** The hook runs queued for each loop, by name. */
function hookRuns(rig: AppRig): Record<string, number> {
  const ledger = new SqliteLedger(ledgerPath(rig.home.path));
  try {
    return Object.fromEntries(
      ledger
        .listLoops()
        .map((loop) => [
          loop.name,
          ledger.listRuns({ loopId: loop.id }).filter((run) => run.trigger === "hook").length,
        ]),
    );
  } finally {
    ledger.close();
  }
}

describe("[hooks] in the session", () => {
  it("each turn that ends queues the turn_completed loops, a failed turn the turn_failed ones; an unknown loop is reported", async () => {
    const rig = await start({
      hooks: { turn_completed: ["after-turn", "missing"], turn_failed: ["on-failure"] },
      replies: [
        { text: "first done", repeat: false },
        { text: "partial", streamError: { afterChunks: 1, message: "upstream overloaded" } },
      ],
    });
    addLoop(rig, "after-turn");
    addLoop(rig, "on-failure");
    rig.keys("one\r");
    await rig.waitForText(/first done/);
    await rig.waitFor(() => hookRuns(rig)["after-turn"] === 1, "the turn_completed loop queued");
    expect(hookRuns(rig)["on-failure"]).toBe(0);
    await rig.waitFor(() => rig.hookWarnings.length === 1, "the unknown loop's warning");
    expect(rig.hookWarnings[0]).toMatch(/turn_completed names no active loop "missing"/);
    rig.keys("two\r");
    await rig.waitFor(() => hookRuns(rig)["on-failure"] === 1, "the turn_failed loop queued");
    await rig.waitFor(idle(rig), "the turn's end");
    expect(hookRuns(rig)["after-turn"]).toBe(1);
  });
});

describe("pickers", () => {
  it("/model without a model opens a picker: Down and Enter switch the executor's model, Esc closes it", async () => {
    const rig = await start({ replies: [{ text: "on the other model" }] });
    rig.keys("/model\r");
    await rig.waitForText(/Executor model/);
    // The model in use first (marked), then the config's models and aliases.
    expect(rig.text()).toMatch(/› lab\/coder ✓ {2}in use: orchestrator, executor, qa/);
    expect(rig.text()).toMatch(/fast {2}alias of lab\/quick/);
    rig.keys("\x1b[B");
    await rig.waitForText(/› lab\/other/);
    rig.keys("\r");
    await rig.waitForText(/executor model: lab\/other/);
    expect(rig.text()).not.toMatch(/Executor model/);
    rig.keys("go\r");
    await rig.waitForText(/on the other model/);
    expect(rig.seen.at(-1)?.model).toBe("lab/other");

    // A picker leaves the composer's draft alone; Esc closes it.
    rig.keys("/model\r");
    await rig.waitForText(/Executor model/);
    rig.keys("\x1b");
    await rig.waitFor(() => !/Executor model/.test(rig.text()), "the picker to close");
    rig.keys("draft");
    expect(rig.composer()).toBe("draft");
    expect(rig.seen.at(-1)?.model).toBe("lab/other");
  });

  it("/resume without an id opens a picker of the recent sessions; typing filters, Enter resumes the chosen one", async () => {
    const rig = await start({
      replies: [{ text: "first answer", repeat: false }, { text: "second answer" }],
    });
    rig.keys("alpha session\r");
    await rig.waitForText(/first answer/);
    const first = rig.thread.id;
    rig.keys("/new\r");
    await rig.waitForText(/new session/);
    rig.keys("beta session\r");
    await rig.waitForText(/second answer/);
    const second = rig.thread.id;
    rig.keys("/resume\r");
    await rig.waitForText(/Resume a session/);
    expect(rig.text()).toMatch(/beta session[\s\S]*alpha session/);
    rig.keys("alp");
    await rig.waitForText(/filter: alp/);
    expect(rig.text()).toMatch(new RegExp(`› ${first.slice(0, 8)} .*alpha session`));
    expect(rig.text()).not.toMatch(new RegExp(`${second.slice(0, 8)} .*beta session`));
    rig.keys("\r");
    await rig.waitForText(/resumed session/);
    expect(rig.thread.id).toBe(first);
    expect(rig.composer()).toBe("");
  });
});

describe("the role panel", () => {
  it("Ctrl+T expands the first role row; Up/Down while expanded choose which role shows its output", async () => {
    const rig = await start({});
    const now = Date.now();
    // Two roles at work, as the thread reports them.
    for (const event of [
      roleActivity("orchestrator", "model", "lab/planner", now),
      delta("msg_1", "Planning the change.\n"),
      roleActivity("executor", "tool", "lab/coder", now, { action: "running make" }),
      updated(command("cmd_1", "make", "compiling module seven")),
    ])
      rig.controller.applyThreadEvent(event);
    // A role's output shows right under its row when it is expanded.
    const orchestratorOpen = /orchestrator: planning.*\n *│ Planning the change\./;
    const executorOpen = /executor: running make.*\n *│ compiling module seven/;
    await rig.waitForText(/executor: running make/);
    expect(rig.text()).not.toMatch(orchestratorOpen);
    rig.keys("\x14");
    await rig.waitForText(orchestratorOpen);
    expect(rig.text()).not.toMatch(executorOpen);
    rig.keys("\x1b[B");
    await rig.waitForText(executorOpen);
    expect(rig.text()).not.toMatch(orchestratorOpen);
    rig.keys("\x1b[A");
    await rig.waitForText(orchestratorOpen);
    // Ctrl+T again folds it; Up is the composer's history again.
    rig.keys("\x14");
    await rig.waitFor(() => !orchestratorOpen.test(rig.text()), "the panel to fold");
    expect(rig.composer()).toBe("");
  });
});
