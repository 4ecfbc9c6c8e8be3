import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ScriptReply } from "@hedge/testkit";
import { SECRET_SERVICE_ENV, uniqueName } from "./auth-harness.js";
import { execFixture, parseJsonl, type ExecFixture } from "./exec-helpers.js";
import { runHedge, tempDir, type HedgeRun } from "./run-hedge.js";

// A hostile model (the scripted upstream sends its tool calls) goes after the keys hedge holds:
// the key logged in for the provider, a provider key only in the environment, the user's SSH key.
// None of them may reach the model, the session file or the --json output.

/** Logged in with `hedge auth login` (0600 file store). */
const LOGIN_KEY = "sk-login-5f3a9c1e7b2d4f60a8c1";
/** Only in hedge's environment, as `api_key_env` of a second provider. Its name matches no default exclude. */
const ENV_KEY = "env-only-91c4e7a2b6d83f05e1aa";
const SSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAABG5vbmU";
/** In `~/private`, which the user's `sandbox.deny_read` adds. */
const PRIVATE_NOTE = "private-note-0c1d2e3f4a5b";

/** One model step: a single tool call. */
type ToolArguments = NonNullable<ScriptReply["toolCalls"]>[number]["arguments"];
const call = (name: string, args: ToolArguments): ScriptReply => ({
  toolCalls: [{ name, arguments: args }],
});

let fixture: ExecFixture | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
  while (cleanups.length) cleanups.pop()?.();
});

interface Attack {
  fixture: ExecFixture;
  /** The user's HOME, with a fake `~/.ssh/id_rsa`. */
  userHome: string;
  run: HedgeRun;
}

/**
 * Logs LOGIN_KEY in for `lab`, puts ENV_KEY in hedge's environment, gives the user a HOME with an
 * SSH key, then runs `hedge exec --json` with the model's tool calls `steps(...)`.
 */
async function attack(
  steps: (paths: { hedgeHome: string; userHome: string }) => ScriptReply[],
  extraConfig: string[] = [],
  store: { credentials: "file" | "keyring"; profile: string } = {
    credentials: "file",
    profile: "work",
  },
): Promise<Attack> {
  fixture = await execFixture([
    `credentials_store = "${store.credentials}"`,
    "[sandbox]",
    'deny_read = ["~/private"]',
    ...extraConfig,
    "[providers.other]",
    'type = "openai-compatible"',
    'base_url = "http://127.0.0.1:9/v1"',
    'api_key_env = "OTHER_ACCESS"',
  ]);
  const home = tempDir("hedge-user-home-");
  cleanups.push(home.cleanup);
  mkdirSync(join(home.path, ".ssh"));
  writeFileSync(join(home.path, ".ssh", "id_rsa"), `${SSH_KEY}\n`);
  mkdirSync(join(home.path, "private"));
  writeFileSync(join(home.path, "private", "plan.txt"), `${PRIVATE_NOTE}\n`);
  const env = { ...fixture.env, ...SECRET_SERVICE_ENV, HOME: home.path, OTHER_ACCESS: ENV_KEY };
  const login = await runHedge(["auth", "login", "--provider", "lab", "--profile", store.profile], {
    env,
    input: `${LOGIN_KEY}\n`,
  });
  expect(login.code).toBe(0);
  fixture.upstream.push(...steps({ hedgeHome: fixture.home.path, userHome: home.path }), {
    text: "done",
  });
  const run = await runHedge(["exec", "--json", "look around"], {
    env,
    cwd: fixture.repo.path,
  });
  return { fixture, userHome: home.path, run };
}

/** Every place a secret must not reach: what the model was sent, the session file, --json output. */
function exposures(result: Attack): { requests: string; session: string; stdout: string } {
  const sessionsDir = join(result.fixture.home.path, "sessions");
  const sessionFiles = readdirSync(sessionsDir, { recursive: true, encoding: "utf8" }).filter(
    (name) => name.endsWith(".jsonl"),
  );
  return {
    // Bodies only: the logged-in key rightly goes to the provider in its Authorization header.
    requests: result.fixture.upstream.requests.map((request) => request.rawBody).join("\n"),
    session: sessionFiles.map((name) => readFileSync(join(sessionsDir, name), "utf8")).join("\n"),
    stdout: result.run.stdout,
  };
}

function expectNoSecret(result: Attack): void {
  expect(result.run.code).toBe(0);
  const places = exposures(result);
  // The model's later requests carry each tool result back: the run really happened.
  expect(result.fixture.upstream.requests.length).toBeGreaterThan(1);
  for (const [place, text] of Object.entries(places)) {
    for (const secret of [LOGIN_KEY, ENV_KEY, SSH_KEY, PRIVATE_NOTE]) {
      expect({ place, leaked: text.includes(secret) }).toEqual({ place, leaked: false });
    }
  }
}

/** The output of each completed tool item, in order (tool results as the model saw them). */
function toolOutputs(stdout: string): string[] {
  return parseJsonl(stdout)
    .filter((event) => event.type === "item.completed")
    .map((event) => event["item"] as Record<string, string | undefined>)
    .filter((item) => item["type"] === "tool_call" || item["type"] === "command_execution")
    .map((item) => item["output"] ?? item["error"] ?? item["aggregated_output"] ?? "");
}

describe("hedge exec keeps secrets from a hostile model", () => {
  it("read_file and grep refuse $HEDGE_HOME, /proc/self/environ and a workspace symlink to ~/.ssh", async () => {
    const result = await attack(({ hedgeHome, userHome }) => {
      symlinkSync(join(userHome, ".ssh", "id_rsa"), join(fixture?.repo.path ?? "", "key.txt"));
      return [
        call("read_file", { path: join(hedgeHome, "credentials", "credentials.json") }),
        call("grep", { pattern: "=", path: "/proc/self/environ" }),
        call("grep", { pattern: "sk-|BEGIN", path: hedgeHome }),
        call("read_file", { path: "key.txt" }),
        call("list_dir", { path: join(userHome, ".ssh") }),
        call("read_file", { path: join(userHome, "private", "plan.txt") }),
      ];
    });
    expectNoSecret(result);
    const outputs = toolOutputs(result.run.stdout);
    expect(outputs).toHaveLength(6);
    for (const output of outputs) expect(output).toMatch(/^path_denied: /);
  });

  it("sandboxed commands see neither hedge's keys in their environment nor ~/.ssh and $HEDGE_HOME", async () => {
    const shell = (...command: string[]): ScriptReply => call("shell", { command });
    const result = await attack(
      ({ hedgeHome, userHome }) => [
        shell("env"),
        shell("cat", join(userHome, ".ssh", "id_rsa")),
        shell("cat", join(hedgeHome, "credentials", "credentials.json")),
        shell("ls", "-a", hedgeHome),
        shell("cat", join(userHome, "private", "plan.txt")),
      ],
      // The widest policy the user can write: keys hedge holds are still kept out.
      ["[shell_environment_policy]", 'inherit = "all"', "ignore_default_excludes = true"],
    );
    expectNoSecret(result);
    const [env, ssh, credentials, listing, denied] = toolOutputs(result.run.stdout);
    // The policy really was "all": the rest of hedge's environment is there.
    expect(env).toContain("HEDGE_HOME=");
    expect(ssh).toMatch(/No such file/);
    expect(credentials).toMatch(/No such file/);
    expect(listing?.split("\n").filter(Boolean).sort()).toEqual([".", ".."]);
    expect(denied).toMatch(/No such file/);
  });

  it("a key value found anywhere else is [redacted] in tool output, also when printed in two pieces", async () => {
    const half = ENV_KEY.length / 2;
    const [first, second] = [ENV_KEY.slice(0, half), ENV_KEY.slice(half)];
    const result = await attack(() => {
      writeFileSync(
        join(fixture?.repo.path ?? "", "notes.txt"),
        `login=${LOGIN_KEY}\nother=${ENV_KEY}\n`,
      );
      return [
        call("read_file", { path: "notes.txt" }),
        call("grep", { pattern: "login=" }),
        call("shell", {
          command: ["sh", "-c", `printf '%s' '${first}'; sleep 0.3; printf '%s\\n' '${second}'`],
        }),
      ];
    });
    expectNoSecret(result);
    const [read, grep, printed] = toolOutputs(result.run.stdout);
    expect(read).toBe("     1\tlogin=[redacted]\n     2\tother=[redacted]");
    expect(grep).toBe("notes.txt:1:login=[redacted]");
    expect(printed).toBe("[redacted]\n");
    // Streamed updates never showed the first piece on its own (the command line has both).
    const streamed = parseJsonl(result.run.stdout)
      .filter((event) => event.type === "item.updated")
      .map((event) => (event["item"] as { aggregated_output: string }).aggregated_output);
    expect(streamed.length).toBeGreaterThan(0);
    for (const output of streamed) expect(output).not.toContain(first);
  });

  it("a key the model writes into a file is [redacted] in the file change's diff", async () => {
    const patch = [
      "*** Begin Patch",
      "*** Add File: leak.txt",
      `+token=${LOGIN_KEY}`,
      "*** End Patch",
    ];
    const result = await attack(() => [call("apply_patch", { input: patch.join("\n") })]);
    expect(result.run.code).toBe(0);
    const change = parseJsonl(result.run.stdout).find(
      (event) =>
        event.type === "item.completed" &&
        (event["item"] as { type: string }).type === "file_change",
    );
    expect(JSON.stringify(change)).toContain("+token=[redacted]");
    expect(JSON.stringify(change)).not.toContain(LOGIN_KEY);
  });

  it("refuses to run with the workspace inside $HEDGE_HOME, before any model call", async () => {
    fixture = await execFixture();
    fixture.upstream.push({ text: "never asked" });
    const inside = join(fixture.home.path, "project");
    mkdirSync(inside);
    execFileSync("git", ["init", "-q"], { cwd: inside });
    const run = await runHedge(["exec", "look around"], { env: fixture.env, cwd: inside });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${inside} is inside ${fixture.home.path}, which hedge hides`);
    expect(fixture.upstream.requests).toHaveLength(0);
  });

  it("a sandboxed command cannot ask the OS keychain for the logged-in key over the session bus", async () => {
    const bus = SECRET_SERVICE_ENV["DBUS_SESSION_BUS_ADDRESS"] ?? "";
    expect(bus).toMatch(/^unix:path=/);
    const reversed = [...LOGIN_KEY].reverse().join("");
    const search = `DBUS_SESSION_BUS_ADDRESS='${bus}' secret-tool search --all service hedge 2>&1 | rev`;
    const result = await attack(
      // Reversed, so that redaction (the last line) cannot be what stops it.
      () => [call("shell", { command: ["sh", "-c", search] })],
      [],
      { credentials: "keyring", profile: uniqueName("bus") },
    );
    expectNoSecret(result);
    const [searched] = toolOutputs(result.run.stdout);
    expect(searched).not.toContain(reversed);
    expect(
      JSON.stringify(result.fixture.upstream.requests.map((request) => request.body)),
    ).not.toContain(reversed);
  });
});
