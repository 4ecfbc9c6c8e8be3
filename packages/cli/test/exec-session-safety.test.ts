import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, threadIdOf, type ExecFixture } from "./exec-helpers.js";
import { HEDGE_BIN, runHedge } from "./run-hedge.js";

let fixture: ExecFixture | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await fixture?.cleanup();
  fixture = undefined;
});

function sessionFile(home: string): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith(".jsonl")) found.push(join(dir, entry.name));
    }
  };
  walk(join(home, "sessions"));
  expect(found).toHaveLength(1);
  return found[0] as string;
}

/** The records of a session file; a line that does not parse is `undefined`. */
function records(file: string): ({ type: string; [key: string]: unknown } | undefined)[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      try {
        return JSON.parse(line) as { type: string; [key: string]: unknown };
      } catch {
        return undefined;
      }
    });
}

/** `hedge exec --json ARGS` as a background process; resolves its exit code when it ends. */
function startHedge(args: readonly string[]): {
  child: ChildProcess;
  exit: Promise<number | null>;
} {
  const active = fixture as ExecFixture;
  const child = spawn(process.execPath, [HEDGE_BIN, "exec", "--json", ...args], {
    cwd: active.repo.path,
    env: { PATH: process.env["PATH"], ...active.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, exit: new Promise((resolve) => child.on("close", resolve)) };
}

/** Waits until the scripted upstream has received `count` requests. */
async function requestsReach(count: number): Promise<void> {
  const active = fixture as ExecFixture;
  while (active.upstream.requests.length < count) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function firstTurn(): Promise<string> {
  const active = fixture as ExecFixture;
  active.upstream.push({ text: "First answer." });
  const first = await runHedge(["exec", "--json", "first question"], {
    env: active.env,
    cwd: active.repo.path,
  });
  expect(first.code, first.stderr).toBe(0);
  return threadIdOf(first.stdout);
}

describe("a session file cut by a crash", () => {
  it("is repaired on resume: the next records start their own lines and none is lost", async () => {
    fixture = await execFixture();
    const threadId = await firstTurn();
    const file = sessionFile(fixture.home.path);
    // A crash in the middle of an append leaves the last record without its end.
    const whole = readFileSync(file);
    const lastLine = whole.lastIndexOf("\n", whole.length - 2) + 1;
    truncateSync(file, lastLine + Math.floor((whole.length - lastLine) / 2));

    fixture.upstream.push({ text: "Second answer." }, { text: "Third answer." });
    const second = await runHedge(["exec", "--json", "resume", threadId, "second question"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(second.code, second.stderr).toBe(0);
    const after = records(file);
    // Only the cut record is unreadable; the resumed run's records all are.
    expect(after.filter((record) => record === undefined)).toHaveLength(1);
    const started = after.filter(
      (record) =>
        record?.type === "event" && (record["event"] as { type: string }).type === "thread.started",
    );
    expect(started).toHaveLength(2);

    const third = await runHedge(["exec", "resume", threadId, "third question"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(third.code, third.stderr).toBe(0);
    const history = JSON.stringify(fixture.upstream.requests.at(-1)?.body);
    for (const text of ["first question", "First answer.", "second question", "Second answer."]) {
      expect(history).toContain(text);
    }
  });
});

describe("one session, one writer", () => {
  it("a second resume while the first runs is refused with one line; after it, resume works", async () => {
    fixture = await execFixture();
    const threadId = await firstTurn();
    fixture.upstream.push({ text: "slow", latencyMs: 60_000 });
    const running = startHedge(["resume", threadId, "long task"]);
    await requestsReach(2);

    const second = await runHedge(["exec", "resume", threadId, "at the same time"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(second.code).toBe(1);
    expect(second.stderr.split("\n")[0]).toBe(
      `hedge: session ${threadId} is in use by another hedge process (pid ${running.child.pid})`,
    );
    expect(second.stderr).not.toMatch(/\n\s+at /);
    expect(fixture.upstream.requests).toHaveLength(2);
    expect(readFileSync(sessionFile(fixture.home.path), "utf8")).not.toContain("at the same time");

    // The first run ends (interrupted): the session is free again.
    running.child.kill("SIGTERM");
    expect(await running.exit).toBe(1);
    fixture.upstream.push({ text: "Done now." });
    const after = await runHedge(["exec", "resume", threadId, "try again"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toBe("Done now.\n");
  });

  it("a hedge process killed with SIGKILL does not block the session", async () => {
    fixture = await execFixture();
    const threadId = await firstTurn();
    fixture.upstream.push({ text: "never finished", latencyMs: 60_000 });
    const crashed = startHedge(["resume", threadId, "long task"]);
    await requestsReach(2);
    crashed.child.kill("SIGKILL");
    await crashed.exit;

    fixture.upstream.push({ text: "Back again." });
    const after = await runHedge(["exec", "resume", "--last", "continue"], {
      env: fixture.env,
      cwd: fixture.repo.path,
    });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toBe("Back again.\n");
  });
});
