// The interactive session in a real terminal: the built binary runs in a tmux pane against the
// scripted upstream; keys go in with send-keys, the screen comes out with capture-pane. A turn
// is held mid-tool by a shell command that waits for a file the test creates (no sleeps).
import { readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { TmuxTerminal, type ScriptReply } from "@hedge/testkit";
import { execFixture, type ExecFixture } from "./exec-helpers.js";
import { writeLongSession } from "./long-session.js";
import { HEDGE_BIN, runHedge } from "./run-hedge.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A tool call that runs until `go.flag` exists in the repository. */
const WAIT_FOR_FLAG: ScriptReply = {
  toolCalls: [
    {
      name: "shell",
      arguments: {
        command: ["bash", "-lc", "while [ ! -f go.flag ]; do sleep 0.05; done; echo waited"],
      },
    },
  ],
};

async function fixture(extraConfig: string[] = []): Promise<ExecFixture> {
  const made = await execFixture(extraConfig);
  cleanups.push(() => made.cleanup());
  // A command still waiting (a killed hedge's sandboxed child outlives it) ends once the flag
  // exists: give it a few of its 50 ms polls before the repository goes.
  cleanups.push(async () => {
    writeFileSync(join(made.repo.path, "go.flag"), "");
    await new Promise((resolve) => setTimeout(resolve, 500));
  });
  return made;
}

/** hedge in a 100×30 pane; `ci`: the session's environment says CI=true (ink must not notice). */
function openHedge(made: ExecFixture, args: string[] = [], ci = false): TmuxTerminal {
  const terminal = TmuxTerminal.start({
    // Under a shell that waits for it: a killed hedge is reaped at once (see `gone`).
    command: `${JSON.stringify(process.execPath)} ${JSON.stringify(HEDGE_BIN)} ${args.join(" ")}; sleep 600`,
    cwd: made.repo.path,
    env: {
      PATH: process.env["PATH"],
      LANG: "C.UTF-8",
      ...made.env,
      ...(ci ? { CI: "true" } : {}),
    },
  });
  cleanups.push(() => terminal.kill());
  return terminal;
}

/** The text of every user message the upstream received, request by request. */
function userTexts(made: ExecFixture): string[][] {
  return made.upstream.requests
    .filter((request) => request.path.endsWith("/chat/completions"))
    .map((request) =>
      ((request.body as { messages: { role: string; content: unknown }[] }).messages ?? [])
        .filter((message) => message.role === "user")
        .map((message) =>
          typeof message.content === "string" ? message.content : JSON.stringify(message.content),
        ),
    );
}

const COMPOSER = /Ask hedge to do something/;

/**
 * Resolves once process `pid` is gone and reaped (a zombie would keep a session lock's pid
 * alive; one handed to this machine's init may never be reaped).
 */
async function gone(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) {
      const state = /^State:.*$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[0];
      throw new Error(`process ${pid} is still there after kill -9 (${state ?? "?"})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("hedge in a real terminal (tmux)", () => {
  it("streams an answer, and a steer typed during a tool call reaches the model at the boundary, once", async () => {
    const made = await fixture();
    made.upstream.push(WAIT_FOR_FLAG, {
      match: { lastUserMessageIncludes: "also check the docs" },
      text: "Steer received: checking the docs too.",
      chunkIntervalMs: 20,
    });
    const terminal = openHedge(made);
    await terminal.waitFor(COMPOSER);
    terminal.type("run the wait");
    const typed = await terminal.waitFor(/^› run the wait/m);
    // The terminal's own cursor sits after the text (input methods compose there).
    const row = typed.split("\n").findIndex((line) => line.startsWith("› run the wait"));
    expect(terminal.cursor()).toEqual({ x: "› run the wait".length, y: row });
    terminal.press("Enter");
    await terminal.waitFor(/go\.flag/);
    terminal.type("also check the docs");
    terminal.press("Enter");
    await terminal.waitFor(/Sent after the next tool call[\s\S]*also check the docs/);
    writeFileSync(join(made.repo.path, "go.flag"), "");
    const screen = await terminal.waitFor(/Steer received: checking the docs too\./);
    expect(screen).toMatch(/also check the docs \(steer\)/);
    expect(screen).not.toMatch(/Sent after the next tool call/);
    const sent = userTexts(made)
      .flat()
      .filter((text) => text.includes("also check the docs"));
    // The second request carries it; nothing sent it twice within a request.
    expect(userTexts(made)).toHaveLength(2);
    expect(userTexts(made)[1]?.filter((text) => text.includes("also check the docs"))).toHaveLength(
      1,
    );
    expect(sent).toHaveLength(1);
  });

  it("Ctrl+C interrupts the turn and puts the queued text back in the composer (CI=true in the environment)", async () => {
    const made = await fixture();
    made.upstream.push(WAIT_FOR_FLAG);
    const terminal = openHedge(made, [], true);
    await terminal.waitFor(COMPOSER);
    terminal.type("start the job");
    await terminal.waitFor(/^› start the job/m);
    terminal.press("Enter");
    await terminal.waitFor(/go\.flag/);
    terminal.type("keep me for later");
    terminal.press("Tab");
    await terminal.waitFor(/Queued for the next turn[\s\S]*keep me for later/);
    terminal.press("C-c");
    // The composer line (the preview marks its items with ↳, not ›).
    const screen = await terminal.waitFor(/^› keep me for later/m);
    expect(screen).toMatch(/Interrupted/);
    expect(screen).not.toMatch(/Queued for the next turn/);
    expect(
      userTexts(made)
        .flat()
        .some((text) => text.includes("keep me")),
    ).toBe(false);
  });

  it("after kill -9 with an input queued, hedge resume --last shows the transcript and the input back in the composer", async () => {
    const made = await fixture();
    made.upstream.push(WAIT_FOR_FLAG);
    const first = openHedge(made);
    await first.waitFor(COMPOSER);
    first.type("first prompt");
    await first.waitFor(/^› first prompt/m);
    first.press("Enter");
    await first.waitFor(/go\.flag/);
    first.type("after the crash");
    first.press("Tab");
    await first.waitFor(/Queued for the next turn[\s\S]*after the crash/);
    // hedge runs under the pane's shell (not exec'd), which reaps it at once when it dies.
    const pid = Number(
      readFileSync(`/proc/${first.pid()}/task/${first.pid()}/children`, "utf8").trim(),
    );
    process.kill(pid, "SIGKILL");
    await gone(pid);
    first.kill();

    const second = openHedge(made, ["resume", "--last"]);
    const screen = await second.waitFor(/1 input was not delivered/);
    expect(screen).toMatch(/^› first prompt/m);
    expect(screen).toMatch(/^› after the crash/m);
    expect(
      userTexts(made)
        .flat()
        .some((text) => text.includes("after the crash")),
    ).toBe(false);
  });

  it("hedge resume of a 2,000-cell session shows its last cells and one line for the earlier ones", async () => {
    const made = await fixture();
    writeLongSession(made.home.path, realpathSync(made.repo.path), 400);
    const terminal = openHedge(made, ["resume", "--last"]);
    const screen = await terminal.waitFor(
      /earlier cells not shown[\s\S]*Ask hedge to do something/,
    );
    expect(screen).toMatch(/… 1,99\d earlier cells not shown/);
    expect(screen).toMatch(/Step 1 of turn 399: changed src\/a\.ts/);
    expect(screen).not.toMatch(/turn 0: fix it/);
  });

  it("without a terminal says in one line to use hedge exec", async () => {
    const made = await fixture();
    const run = await runHedge([], { env: made.env, cwd: made.repo.path });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'hedge: the interactive session needs a terminal; for scripts and pipes use: hedge exec "PROMPT"\n',
    );
  });

  it("starts the config's MCP servers: the model's MCP call shows as a cell, /mcp shows the server; /model opens a picker", async () => {
    const everything = fileURLToPath(
      new URL(
        "../../core/node_modules/@modelcontextprotocol/server-everything/dist/index.js",
        import.meta.url,
      ),
    );
    const made = await fixture([
      "[aliases]",
      'fast = "lab/quick"',
      "[mcp_servers.everything]",
      `command = ${JSON.stringify(process.execPath)}`,
      `args = ${JSON.stringify([everything, "stdio"])}`,
    ]);
    made.upstream.push(
      { toolCalls: [{ name: "mcp__everything__echo", arguments: { message: "from tmux" } }] },
      { text: "Echo done." },
    );
    const terminal = openHedge(made);
    await terminal.waitFor(COMPOSER);
    terminal.type("echo it");
    terminal.press("Enter");
    const screen = await terminal.waitFor(/Echo done\./);
    expect(screen).toMatch(/✓ everything\/echo/);
    expect(screen).toMatch(/│ Echo: from tmux/);
    terminal.type("/mcp");
    terminal.press("Enter");
    await terminal.waitFor(/everything: ready · \d+ tools/);
    terminal.type("/model");
    terminal.press("Enter");
    await terminal.waitFor(/Executor model[\s\S]*fast {2}alias of lab\/quick/);
    terminal.press("Escape");
    await terminal.waitFor(/^(?![\s\S]*Executor model)/);
  });

  it("hedge --profile pins the session's login; hedge ask --last answers beside the open TUI on that login", async () => {
    // A memory store: only the session file tells another process which login holds the context.
    const made = await fixture(['credentials_store = "file"', 'store = "memory"']);
    for (const [profile, key] of [
      ["work", "sk-tmux-work-4b1c9e2d7a3f"],
      ["personal", "sk-tmux-personal-8e2f1a6c3d9b"],
    ] as const) {
      const login = await runHedge(["auth", "login", "--provider", "lab", "--profile", profile], {
        env: made.env,
        input: `${key}\n`,
      });
      expect(login.code, login.stderr).toBe(0);
    }
    const keyOfLast = () =>
      made.upstream.requests.at(-1)?.headers["authorization"]?.replace(/^Bearer /, "");
    made.upstream.push(
      { text: "Noted: PELICAN." },
      { text: "The code word is PELICAN.", usage: { inputTokens: 600, cachedTokens: 550 } },
      { text: "Still here." },
    );
    const terminal = openHedge(made, ["--profile", "personal"]);
    await terminal.waitFor(COMPOSER);
    terminal.type("remember the code word PELICAN");
    terminal.press("Enter");
    await terminal.waitFor(/Noted: PELICAN\./);
    expect(keyOfLast()).toBe("sk-tmux-personal-8e2f1a6c3d9b");
    await terminal.waitFor(/personal[^\n]*pinned/);

    // From another shell, while the TUI holds the session.
    const asked = await runHedge(["ask", "--last", "what is the code word?"], {
      env: made.env,
      cwd: made.repo.path,
    });
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toBe("The code word is PELICAN.\n");
    expect(asked.stderr).toMatch(/profile personal · 550 cached tokens/);
    expect(keyOfLast()).toBe("sk-tmux-personal-8e2f1a6c3d9b");

    // The TUI goes on: its session was not taken from it, its history has no aside.
    terminal.type("are you there?");
    terminal.press("Enter");
    await terminal.waitFor(/Still here\./);
    const last = JSON.stringify(made.upstream.requests.at(-1)?.body);
    expect(last).toContain("remember the code word PELICAN");
    expect(last).not.toContain("what is the code word?");
  });
});
