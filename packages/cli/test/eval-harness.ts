import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadTasks, type FinishedRecord } from "@hedge/evals";
import { evalResponder, taskOfRequest } from "@hedge/evals/scripted";
import { startScriptedUpstream, type ScriptedUpstream } from "@hedge/testkit";
import { HEDGE_BIN, runHedge, type HedgeRun } from "./run-hedge.js";

/** A task written into a temp tasks directory: its toml fields, files, and scripted model. */
export interface TaskSpec {
  id: string;
  prompt?: string;
  tags?: string[];
  editable?: string[];
  test?: string[][];
  timeoutSec?: number;
  workspace: Record<string, string>;
  tests: Record<string, string>;
  attempt: unknown[][];
  afterFeedback?: unknown[][];
}

/** Temp tasks, a scripted upstream playing them, a HEDGE_HOME routing `scripted/coder` there. */
export interface EvalFixture {
  root: string;
  tasksRoot: string;
  home: string;
  upstream: ScriptedUpstream;
  env: NodeJS.ProcessEnv;
  /** The task each upstream request belonged to, in order. */
  requestTasks(): (string | undefined)[];
  run(args: string[]): Promise<HedgeRun>;
  spawn(args: string[]): ChildProcess;
  attempts(runId: string): Record<string, unknown>[];
  finished(runId: string): FinishedRecord[];
  runDir(runId: string): string;
  cleanup(): Promise<void>;
}

export async function evalFixture(
  specs: TaskSpec[],
  providerConfig: string[] = [],
): Promise<EvalFixture> {
  const root = mkdtempSync(join(tmpdir(), "hedge-eval-test-"));
  const tasksRoot = join(root, "repo", "evals", "tasks");
  const home = join(root, "hedge");
  const user = join(root, "user");
  const places = { "{TASKS}": tasksRoot, "{HEDGE_HOME}": home, "{ROOT}": root };
  for (const spec of specs) writeTask(tasksRoot, spec, places);
  const tasks = loadTasks(tasksRoot);
  const byToolset = { default: evalResponder(tasks, "default"), js: evalResponder(tasks, "js") };
  const upstream = await startScriptedUpstream({
    respond: (request) =>
      (request.toolNames.includes("js") ? byToolset.js : byToolset.default)(request) ?? {
        text: "no scripted task matches",
      },
  });
  mkdirSync(home);
  mkdirSync(user);
  writeFileSync(
    join(home, "config.toml"),
    [
      "[qa]",
      "enabled = false",
      "[providers.scripted]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
      ...providerConfig,
    ].join("\n"),
  );
  const env = { HEDGE_HOME: home, HOME: user };
  const base = ["--tasks-dir", tasksRoot];
  return {
    root,
    tasksRoot,
    home,
    upstream,
    env,
    requestTasks: () =>
      upstream.requests
        .filter((request) => request.path.endsWith("/chat/completions"))
        .map((request) =>
          taskOfRequest(tasks, { lastUserText: "", conversation: conversationOf(request.body) }),
        ),
    // Only `eval run` reads tasks.
    run: (args) => runHedge([...args, ...(args[1] === "run" ? base : [])], { env, cwd: root }),
    spawn: (args) =>
      spawn(process.execPath, [HEDGE_BIN, ...args, ...base], {
        cwd: root,
        env: { PATH: process.env["PATH"], NO_COLOR: "1", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    attempts: (runId) =>
      readFileSync(join(home, "evals", "runs", runId, "attempts.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    finished: (runId) =>
      readFileSync(join(home, "evals", "runs", runId, "attempts.jsonl"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as FinishedRecord)
        .filter((line) => line.event === "finished"),
    runDir: (runId) => join(home, "evals", "runs", runId),
    cleanup: async () => {
      await upstream.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The user/assistant texts of a Chat request, as the responder reads them. */
function conversationOf(body: unknown): { role: string; text?: string }[] {
  const messages =
    (body as { messages?: { role: string; content?: unknown }[] } | undefined)?.messages ?? [];
  return messages.map((message) => ({
    role: message.role,
    text:
      typeof message.content === "string" ? message.content : JSON.stringify(message.content ?? ""),
  }));
}

/** Writes a task; `{TASKS}`, `{HEDGE_HOME}` and `{ROOT}` in it become those absolute paths. */
function writeTask(tasksRoot: string, spec: TaskSpec, places: Record<string, string>): void {
  const place = (text: string): string =>
    Object.entries(places).reduce((out, [name, path]) => out.replaceAll(name, path), text);
  const dir = join(tasksRoot, spec.id);
  const toml = [
    `id = ${JSON.stringify(spec.id)}`,
    `title = ${JSON.stringify(spec.id)}`,
    `tags = ${JSON.stringify(spec.tags ?? ["bugfix", "shell"])}`,
    `prompt = ${JSON.stringify(spec.prompt ?? `Task ${spec.id}: make tests/check.sh pass.`)}`,
    `editable = ${JSON.stringify(spec.editable ?? Object.keys(spec.workspace))}`,
    `test = ${place(JSON.stringify(spec.test ?? [["bash", "tests/check.sh"]]))}`,
    `timeout_sec = ${spec.timeoutSec ?? 20}`,
  ];
  writeFile(join(dir, "task.toml"), `${toml.join("\n")}\n`);
  for (const [path, text] of Object.entries(spec.workspace))
    writeFile(join(dir, "workspace", path), text);
  for (const [path, text] of Object.entries(spec.tests)) writeFile(join(dir, "tests", path), text);
  // `{TASKS}` in an action: the tasks directory's absolute path (a hostile model may know it).
  const scripted = JSON.stringify({
    attempt: spec.attempt,
    after_feedback: spec.afterFeedback ?? [],
  });
  writeFile(join(dir, "scripted.json"), scripted.replaceAll("{TASKS}", tasksRoot));
}

function writeFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A shell task whose check passes when `answer.txt` holds `ok`, solved in one write. */
export function okTask(id: string, extra: Partial<TaskSpec> = {}): TaskSpec {
  return {
    id,
    workspace: { "answer.txt": "no\n" },
    tests: { "check.sh": 'grep -qx ok answer.txt || { echo "answer.txt is not ok"; exit 1; }\n' },
    attempt: [[{ write: "answer.txt", content: "ok\n" }], [{ say: "done" }]],
    ...extra,
  };
}

/** The run id a `hedge eval run` printed on stderr. */
export function runIdOf(stderr: string): string {
  const match = /eval run (ev_\w+)/.exec(stderr);
  if (!match?.[1]) throw new Error(`no run id in: ${stderr}`);
  return match[1];
}
