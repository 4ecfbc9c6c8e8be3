import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { UsageError } from "@hedge/model-spec";
import { parse as parseToml } from "smol-toml";
import type { z } from "zod";
import { taskFileSchema, type EvalTask } from "./task-schema.js";

/**
 * Loads every task under `tasksRoot` whose id matches `glob` (`*` and `?`; default all), sorted
 * by id. Each problem is one line naming the file and the key: `evals/tasks/x/task.toml:
 * timeout_sec: expected a number, got "ten"`.
 */
export function loadTasks(tasksRoot: string, glob = "*"): EvalTask[] {
  if (!existsSync(tasksRoot) || !statSync(tasksRoot).isDirectory()) {
    throw new UsageError(`no task directory at ${tasksRoot}`, {
      hint: "run from a hedge checkout, or pass --tasks-dir DIR",
    });
  }
  const pattern = globToRegExp(glob);
  const ids = readdirSync(tasksRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && pattern.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  if (ids.length === 0) {
    throw new UsageError(`no task matches "${glob}" in ${tasksRoot}`, {
      hint: "list the tasks with: ls evals/tasks",
    });
  }
  const seen = new Map<string, string>();
  return ids.map((name) => {
    const task = loadTask(join(tasksRoot, name), tasksRoot);
    const other = seen.get(task.id);
    if (other) throw new UsageError(`task id "${task.id}" is used twice (${other} and ${name})`);
    seen.set(task.id, name);
    return task;
  });
}

/** Loads and checks one task directory. */
export function loadTask(dir: string, root = join(dir, "..")): EvalTask {
  const name = relative(join(root, ".."), dir) || dir;
  const file = join(dir, "task.toml");
  const shown = `${name}/task.toml`;
  if (!existsSync(file)) throw new UsageError(`${name}: task.toml is missing`);
  let raw: unknown;
  try {
    raw = parseToml(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UsageError(`${shown}: not valid TOML: ${reason}`);
  }
  const parsed = taskFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new UsageError(`${shown}: ${describeIssue(parsed.error.issues)}`);
  const task = parsed.data;
  const dirName = dir.split("/").pop();
  if (task.id !== dirName) {
    throw new UsageError(`${shown}: id: "${task.id}" must equal the directory name "${dirName}"`);
  }
  const workspaceDir = join(dir, "workspace");
  const testsDir = join(dir, "tests");
  for (const [what, path] of [
    ["workspace/", workspaceDir],
    ["tests/", testsDir],
  ] as const) {
    if (!existsSync(path) || !statSync(path).isDirectory())
      throw new UsageError(`${name}: ${what} is missing`, {
        hint: `a task needs its starting files in workspace/ and its hidden tests in tests/`,
      });
  }
  refuseLinks(dir, name);
  const scripted = join(dir, "scripted.json");
  return {
    ...task,
    dir,
    workspaceDir,
    testsDir,
    scriptedFile: existsSync(scripted) ? scripted : undefined,
  };
}

/**
 * A task is data from the repository: untrusted. A symlink in it could copy a file from outside
 * the task (a key, the user's config) into the worktree the model reads, or let a hidden test
 * point at one; tasks hold regular files and directories only.
 */
function refuseLinks(dir: string, name: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = relative(dir, join(entry.parentPath, entry.name));
    if (entry.name === ".git")
      throw new UsageError(`${name}: ${path}: a task may not hold a git repository`, {
        hint: "the runner makes the attempt's repository itself from workspace/",
      });
    if (entry.isFile() || entry.isDirectory()) continue;
    throw new UsageError(`${name}: ${path} is not a regular file (a symlink or a device)`, {
      hint: "tasks may hold regular files and directories only",
    });
  }
}

function describeIssue(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return "invalid";
  const path = issue.path.map(String).join(".") || "(top level)";
  switch (issue.code) {
    case "unrecognized_keys":
      return `${[...issue.path, issue.keys[0]].map(String).join(".")}: unknown key`;
    case "invalid_type": {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) return `${path}: required`;
      return `${path}: expected ${issue.expected}, got ${JSON.stringify(input)}`;
    }
    case "invalid_value":
      return `${path}: expected one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}, got ${JSON.stringify((issue as { input?: unknown }).input)}`;
    default:
      return `${path}: ${issue.message}`;
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^(?:${escaped.split(",").join("|")})$`);
}
