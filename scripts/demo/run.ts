// The exec demo: `hedge exec` fixes a failing test in a throwaway git repository, in the real
// bubblewrap sandbox, with the model played by the scripted upstream (./model.ts). What it shows
// is what happened: the sandbox is checked before anything starts, and the verdict on the last
// line is this script running the test itself after the agent finished, not the model's word.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SandboxUnavailableError, ensureBwrapWorks, findBwrap } from "@hedge/core";
import { startScriptedUpstream } from "@hedge/testkit";
import { TEST_COMMAND, createDemoModel } from "./model.js";

const bin = fileURLToPath(new URL("../../packages/cli/dist/hedge.js", import.meta.url));

/** The demo repository: `add` subtracts, and test.js says so. */
export const DEMO_FILES: Readonly<Record<string, string>> = {
  "src/math.js": "export function add(a, b) {\n  return a - b;\n}\n",
  "test.js":
    'import { add } from "./src/math.js";\nif (add(2, 3) !== 5) {\n  console.error("FAIL add(2, 3) =", add(2, 3));\n  process.exit(1);\n}\nconsole.log("ok add(2, 3) = 5");\n',
  "package.json": '{ "type": "module" }\n',
};

/** Options of {@link runExecDemo}; the defaults are the demo as `npm run exec-demo` shows it. */
export interface ExecDemoOptions {
  /** Receives everything the demo prints, hedge's own output included, as it comes. */
  write: (text: string) => void;
  /** The repository's files (path: content). */
  files?: Readonly<Record<string, string>>;
}

/** The sandbox as the demo found it: bubblewrap's path, or why it cannot be had and what to do. */
export type SandboxCheck = { ok: true; bwrap: string } | { ok: false; problem: string };

/** Finds and probes bubblewrap with hedge's own functions, as exec does before a command. */
export async function checkSandbox(): Promise<SandboxCheck> {
  let bwrap: string;
  try {
    bwrap = findBwrap();
  } catch (error) {
    if (!(error instanceof SandboxUnavailableError)) throw error;
    if (process.platform !== "linux") return { ok: false, problem: error.message };
    return {
      ok: false,
      problem:
        "hedge runs the agent's commands in a bubblewrap sandbox, and bwrap is not installed; install it with `node scripts/provision.mjs` (or apt-get install bubblewrap)",
    };
  }
  try {
    await ensureBwrapWorks(bwrap);
    return { ok: true, bwrap };
  } catch (error) {
    if (!(error instanceof SandboxUnavailableError)) throw error;
    return {
      ok: false,
      problem: `bubblewrap (${bwrap}) cannot create a sandbox here: ${error.detail ?? "unknown reason"}; ${error.hint ?? "see hedge doctor"}`,
    };
  }
}

function createRepository(repo: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  const git = (...args: string[]): void => {
    execFileSync("git", ["-c", "user.email=demo@example.com", "-c", "user.name=demo", ...args], {
      cwd: repo,
      stdio: "ignore",
    });
  };
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "a calculator with a bug");
}

/** Runs the demo; resolves to its exit code: 0 only when the test passes after the agent. */
export async function runExecDemo(options: ExecDemoOptions): Promise<number> {
  const { write } = options;
  if (!existsSync(bin)) {
    write(
      "exec-demo: not started: packages/cli/dist/hedge.js is missing; run `node scripts/setup.mjs` first\n",
    );
    return 1;
  }
  const sandbox = await checkSandbox();
  if (!sandbox.ok) {
    write(`exec-demo: not started: ${sandbox.problem}\n`);
    return 1;
  }

  const work = mkdtempSync(join(tmpdir(), "hedge-demo-"));
  const upstream = await startScriptedUpstream({ respond: createDemoModel() });
  try {
    const repo = join(work, "calc");
    const home = join(work, "hedge-home");
    mkdirSync(home);
    createRepository(repo, options.files ?? DEMO_FILES);
    writeFileSync(
      join(home, "config.toml"),
      `model = "demo/scripted"\n[providers.demo]\nbase_url = "${upstream.url}/v1"\nwire = "chat"\n`,
    );
    write(
      [
        `demo repository: ${repo}`,
        `sandbox: bubblewrap (${sandbox.bwrap}); the agent's commands run inside it`,
        `model: hedge's scripted upstream at ${upstream.url}, reacting to what the tools return (no real model needed)\n\n`,
      ].join("\n"),
    );
    write(`$ hedge exec "make the tests pass"\n\n`);
    // Asynchronous on purpose: the scripted upstream runs in this process and must keep answering.
    const child = spawn(process.execPath, [bin, "exec", "make the tests pass"], {
      cwd: repo,
      env: { ...process.env, HEDGE_HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.setEncoding("utf8").on("data", write);
    child.stderr.setEncoding("utf8").on("data", write);
    const hedgeExit = await new Promise<number | null>((resolve) => child.on("close", resolve));

    const diff = execFileSync("git", ["diff"], { cwd: repo, encoding: "utf8" });
    write(`\n$ git diff\n${diff || "(no changes)\n"}`);
    // The verdict: the test run by this script after the agent, outside hedge and its sandbox.
    const [command = "node", ...args] = TEST_COMMAND;
    write(`\n$ ${TEST_COMMAND.join(" ")}\n`);
    const test = spawnSync(command === "node" ? process.execPath : command, args, {
      cwd: repo,
      encoding: "utf8",
      timeout: 30_000,
    });
    write(`${test.stdout}${test.stderr}`);
    const ok = test.status === 0;
    write(
      `exec-demo: ${ok ? "PASS" : "FAIL"}: \`${TEST_COMMAND.join(" ")}\` exits ${test.status ?? test.signal ?? "?"} when the demo runs it after the agent (hedge exec exited ${hedgeExit ?? "on a signal"})\n`,
    );
    return ok && hedgeExit === 0 ? 0 : 1;
  } finally {
    await upstream.close();
    rmSync(work, { recursive: true, force: true });
  }
}
