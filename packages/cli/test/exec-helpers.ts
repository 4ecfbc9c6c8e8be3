import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  makeTempDir,
  makeTempHome,
  startScriptedUpstream,
  type ScriptReply,
  type ScriptedUpstream,
  type TempDir,
  type TempHome,
} from "@hedge/testkit";

export interface ExecFixture {
  upstream: ScriptedUpstream;
  home: TempHome;
  repo: TempDir;
  env: NodeJS.ProcessEnv;
  cleanup: () => Promise<void>;
}

/**
 * A scripted upstream, a HEDGE_HOME whose config routes `lab/coder` to it (Chat wire, local), and
 * a real git repository with a small project whose test fails until `add` is fixed.
 */
export async function execFixture(
  extraConfig: string[] = [],
  options: { qa?: boolean } = {},
): Promise<ExecFixture> {
  const upstream = await startScriptedUpstream();
  const home = await makeTempHome();
  const repo = await makeTempDir("hedge-repo-");
  writeFileSync(
    join(home.path, "config.toml"),
    // `model` first (top level); extra lines may add top-level keys or tables; the provider last.
    // QA is off unless asked for: these tests script the executor's calls only.
    [
      'model = "lab/coder"',
      ...extraConfig,
      ...(options.qa ? [] : ["[qa]", "enabled = false"]),
      "[providers.lab]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
    ].join("\n"),
  );
  mkdirSync(join(repo.path, "src"));
  writeFileSync(
    join(repo.path, "src", "math.js"),
    "export function add(a, b) {\n  return a - b;\n}\n",
  );
  writeFileSync(join(repo.path, "README.md"), "# calc\n\nAdds numbers.\n");
  writeFileSync(
    join(repo.path, "test.js"),
    'import { add } from "./src/math.js";\nif (add(2, 3) !== 5) {\n  console.error("add(2, 3) should be 5");\n  process.exit(1);\n}\nconsole.log("tests passed");\n',
  );
  writeFileSync(join(repo.path, "package.json"), '{ "type": "module" }\n');
  const git = (...args: string[]): void => {
    execFileSync("git", args, { cwd: repo.path, stdio: "ignore" });
  };
  git("init", "-q");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".");
  git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init");
  return {
    upstream,
    home,
    repo,
    env: { ...home.env, HOME: home.path },
    cleanup: async () => {
      await upstream.close();
      await home.cleanup();
      await repo.cleanup();
    },
  };
}

/** Parses `--json` output into events. */
export function parseJsonl(stdout: string): { type: string; [key: string]: unknown }[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
}

/** The thread id of a `--json` run (its first event). */
export function threadIdOf(stdout: string): string {
  const first = parseJsonl(stdout)[0];
  return typeof first?.["thread_id"] === "string" ? first["thread_id"] : "";
}

// Three distinct models on one scripted upstream: which model got which request, in order.
const ROLES = ["[roles]", 'orchestrator = "lab/orch"', 'executor = "lab/exec"', 'qa = "lab/qa"'];

/** An exec fixture whose roles use `lab/orch`, `lab/exec` and `lab/qa`, with QA on. */
export function rolesFixture(extraConfig: string[] = []): Promise<ExecFixture> {
  return execFixture([...extraConfig, ...ROLES], { qa: true });
}

/** The QA model's scripted verdict. */
export function verdict(
  value: "pass" | "add_tasks" | "block",
  reason: string,
  tasks: string[] = [],
): ScriptReply {
  return {
    match: { model: "qa" },
    toolCalls: [{ name: "report_verdict", arguments: { verdict: value, tasks, reason } }],
  };
}

/** The model of each upstream request, in order. */
export function modelsCalled(fixture: ExecFixture): string[] {
  return fixture.upstream.requests.map((request) => (request.body as { model: string }).model);
}

/** The completed items of one type in `--json` output. */
export function items(stdout: string, type: string): Record<string, unknown>[] {
  return parseJsonl(stdout)
    .filter(
      (event) =>
        event.type === "item.completed" && (event["item"] as { type: string }).type === type,
    )
    .map((event) => event["item"] as Record<string, unknown>);
}
