import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTasks } from "./load-tasks.js";
import { taskSetHash } from "./task-set-hash.js";

const GOOD = [
  'id = "py-one"',
  'title = "One"',
  'tags = ["bugfix", "python"]',
  'prompt = "Fix it."',
  'editable = ["src/a.py"]',
  'test = [["python3", "-m", "unittest"]]',
  "timeout_sec = 10",
].join("\n");

let root: string;

function makeTask(
  id: string,
  toml: string,
  options: { workspace?: boolean; tests?: boolean } = {},
): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "task.toml"), toml);
  if (options.workspace !== false) {
    mkdirSync(join(dir, "workspace", "src"), { recursive: true });
    writeFileSync(join(dir, "workspace", "src", "a.py"), "x = 1\n");
  }
  if (options.tests !== false) {
    mkdirSync(join(dir, "tests"), { recursive: true });
    writeFileSync(join(dir, "tests", "test_a.py"), "pass\n");
  }
  return dir;
}

beforeEach(() => {
  root = join(mkdtempSync(join(tmpdir(), "hedge-tasks-")), "tasks");
  mkdirSync(root);
});
afterEach(() => rmSync(join(root, ".."), { recursive: true, force: true }));

describe("loadTasks", () => {
  it("loads a good task with its defaults", () => {
    makeTask("py-one", GOOD);
    const [task] = loadTasks(root);
    expect(task).toMatchObject({
      id: "py-one",
      tags: ["bugfix", "python"],
      timeout_sec: 10,
      test_env: {},
    });
  });

  it.each([
    [
      "a wrong type",
      GOOD.replace("timeout_sec = 10", 'timeout_sec = "ten"'),
      'tasks/py-one/task.toml: timeout_sec: expected number, got "ten"',
    ],
    ["an unknown key", `${GOOD}\ntimeout = 3`, "tasks/py-one/task.toml: timeout: unknown key"],
    [
      "an unknown tag",
      GOOD.replace('"python"]', '"cobol"]'),
      'tasks/py-one/task.toml: tags.1: expected one of "bugfix"',
    ],
    [
      "a missing key",
      GOOD.replace('prompt = "Fix it."\n', ""),
      "tasks/py-one/task.toml: prompt: required",
    ],
    [
      "an id that is not the directory",
      GOOD.replace('id = "py-one"', 'id = "py-two"'),
      'tasks/py-one/task.toml: id: "py-two" must equal the directory name "py-one"',
    ],
    [
      "an editable path outside the workspace",
      GOOD.replace('["src/a.py"]', '["../x.py"]'),
      "tasks/py-one/task.toml: editable.0: expected a path inside the workspace",
    ],
    ["bad TOML", "id = ", "tasks/py-one/task.toml: not valid TOML"],
  ])("refuses %s with one line naming the file and key", (_what, toml, message) => {
    makeTask("py-one", toml);
    expect(() => loadTasks(root)).toThrow(message);
  });

  it("refuses a task without workspace/ or tests/", () => {
    makeTask("py-one", GOOD, { workspace: false });
    expect(() => loadTasks(root)).toThrow("tasks/py-one: workspace/ is missing");
    rmSync(join(root, "py-one"), { recursive: true });
    makeTask("py-one", GOOD, { tests: false });
    expect(() => loadTasks(root)).toThrow("tasks/py-one: tests/ is missing");
  });

  it("refuses a symlink in a task (it could copy a secret into the worktree)", () => {
    const dir = makeTask("py-one", GOOD);
    symlinkSync("/etc/passwd", join(dir, "workspace", "passwd"));
    expect(() => loadTasks(root)).toThrow("tasks/py-one: workspace/passwd is not a regular file");
  });

  it("refuses a git repository inside a task", () => {
    const dir = makeTask("py-one", GOOD);
    mkdirSync(join(dir, "workspace", ".git"));
    expect(() => loadTasks(root)).toThrow("a task may not hold a git repository");
  });

  it("selects tasks by glob and says when none matches", () => {
    makeTask("py-one", GOOD);
    makeTask("py-two", GOOD.replace('id = "py-one"', 'id = "py-two"'));
    expect(loadTasks(root, "py-t*").map((task) => task.id)).toEqual(["py-two"]);
    expect(() => loadTasks(root, "ts-*")).toThrow('no task matches "ts-*"');
  });

  it("hashes the task set: any byte of any file changes it", () => {
    const dir = makeTask("py-one", GOOD);
    const before = taskSetHash(loadTasks(root));
    expect(taskSetHash(loadTasks(root))).toBe(before);
    writeFileSync(join(dir, "tests", "test_a.py"), "pass  \n");
    expect(taskSetHash(loadTasks(root))).not.toBe(before);
  });
});
