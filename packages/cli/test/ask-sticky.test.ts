// `hedge ask --last` beside a session another process holds: it reads the session without its
// lock, asks on the route and profile of the session's last turn (the provider's prompt cache),
// records the aside beside the session, and never shows a key.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, type ExecFixture } from "./exec-helpers.js";
import { runHedge } from "./run-hedge.js";

const WORK_KEY = "sk-work-7d1e4c9a2b3f5e60a8c1";
const PERSONAL_KEY = "sk-personal-3a9c1e7b2d4f60a8c15f";

let fixture: ExecFixture | undefined;
let holder: ChildProcess | undefined;
afterEach(async () => {
  if (holder) {
    const done = new Promise((resolve) => holder?.once("close", resolve));
    holder.kill("SIGKILL");
    await done;
    holder = undefined;
  }
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
  return found[0] ?? "";
}

/** The key the upstream's last request carried. */
function lastKey(current: ExecFixture): string | undefined {
  return current.upstream.requests.at(-1)?.headers["authorization"]?.replace(/^Bearer /, "");
}

describe("hedge ask beside a running session", () => {
  it("--last works while another process holds the session, on the last turn's route and profile", async () => {
    // A memory store: the gateway of each process forgets the session's sticky route, so only
    // the session file says which route and profile hold its context.
    const current = (fixture = await execFixture([
      'credentials_store = "file"',
      'store = "memory"',
    ]));
    const env = current.env;
    for (const [profile, key] of [
      ["work", WORK_KEY],
      ["personal", PERSONAL_KEY],
    ] as const) {
      const login = await runHedge(["auth", "login", "--provider", "lab", "--profile", profile], {
        env,
        input: `${key}\n`,
      });
      expect(login.code, login.stderr).toBe(0);
    }
    // The session's turn ran on the personal login.
    current.upstream.push({ text: "Noted: the code word is PELICAN." });
    const run = await runHedge(
      ["--profile", "personal", "exec", "remember the code word PELICAN"],
      {
        env,
        cwd: current.repo.path,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(lastKey(current)).toBe(PERSONAL_KEY);

    // Another hedge process (a TUI) holds the session now.
    const session = sessionFile(current.home.path);
    holder = spawn("sleep", ["60"]);
    writeFileSync(`${session}.lock`, JSON.stringify({ pid: holder.pid, host: hostname() }));
    const before = readFileSync(session, "utf8");

    current.upstream.push({
      text: "The code word is PELICAN.",
      usage: { inputTokens: 900, cachedTokens: 850, outputTokens: 8 },
    });
    const asked = await runHedge(["ask", "--last", "what is the code word?"], {
      env,
      cwd: current.repo.path,
    });
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toBe("The code word is PELICAN.\n");
    expect(asked.stderr).toContain("profile personal");
    expect(asked.stderr).toContain("850 cached tokens");
    // The same login as the session's last turn (the provider's cache is per key).
    expect(lastKey(current)).toBe(PERSONAL_KEY);
    expect(JSON.stringify(current.upstream.requests.at(-1)?.body)).toContain(
      "remember the code word PELICAN",
    );
    // The held session is untouched; the aside is recorded beside it.
    expect(readFileSync(session, "utf8")).toBe(before);
    expect(readFileSync(`${session}.lock`, "utf8")).toContain(`"pid":${holder.pid}`);
    const asides = readFileSync(`${session}.asides`, "utf8");
    expect(asides).toContain("The code word is PELICAN.");
    expect(asides).toContain('"profile":"personal"');
  });

  it("an upstream error that echoes the key shows and records no key", async () => {
    const current = (fixture = await execFixture(['credentials_store = "file"']));
    const env = current.env;
    const login = await runHedge(["auth", "login", "--provider", "lab", "--profile", "work"], {
      env,
      input: `${WORK_KEY}\n`,
    });
    expect(login.code, login.stderr).toBe(0);
    current.upstream.push({ text: "Done." });
    const run = await runHedge(["exec", "say done"], { env, cwd: current.repo.path });
    expect(run.code, run.stderr).toBe(0);

    current.upstream.push({
      status: 400,
      error: { message: `invalid request for key ${WORK_KEY}`, type: "invalid_request_error" },
    });
    const asked = await runHedge(["ask", "--last", "anything?"], { env, cwd: current.repo.path });
    expect(asked.code).not.toBe(0);
    expect(`${asked.stdout}${asked.stderr}`).not.toContain(WORK_KEY);
    expect(asked.stderr).not.toMatch(/\n\s+at /);
    const session = sessionFile(current.home.path);
    for (const file of [session, `${session}.asides`])
      if (existsSync(file)) expect(readFileSync(file, "utf8")).not.toContain(WORK_KEY);
  });
});
