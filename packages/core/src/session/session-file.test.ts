import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SessionFile, findSession } from "./session-file.js";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});
function home(): string {
  const dir = mkdtempSync(join(tmpdir(), "hedge-session-"));
  dirs.push(dir);
  return dir;
}

describe("session files", () => {
  it("writes under sessions/YYYY/MM/DD and reopens with the same history", () => {
    const root = home();
    const session = SessionFile.create(root, {
      cwd: "/repo",
      model: "lab/m",
      now: new Date("2026-03-04T05:06:07Z"),
    });
    expect(session.path.startsWith(join(root, "sessions", "2026", "03", "04"))).toBe(true);
    session.appendMessage({ role: "user", content: [{ type: "text", text: "hello" }] });
    session.appendMessage({ role: "assistant", content: [{ type: "text", text: "hi" }] });
    session.close();
    const reopened = SessionFile.open(findSession(root, { id: session.id }));
    expect(reopened.history()).toEqual(session.history());
    expect(findSession(root, { last: true })).toBe(session.path);
  });

  it("survives a line cut off by a crash and answers tool calls a cut-off turn left open", () => {
    const root = home();
    const session = SessionFile.create(root, { cwd: "/repo", model: "lab/m" });
    session.appendMessage({ role: "user", content: [{ type: "text", text: "run it" }] });
    session.appendMessage({
      role: "assistant",
      content: [{ type: "tool_call", id: "call_1", name: "shell", arguments: "{}" }],
    });
    appendFileSync(
      session.path,
      '{"type":"message","at":"2026-01-01T00:00:00Z","message":{"role":"to',
    );
    session.close();
    const reopened = SessionFile.open(session.path);
    const history = reopened.history();
    expect(history).toHaveLength(3);
    expect(history[2]).toMatchObject({
      role: "tool",
      content: [{ type: "tool_result", call_id: "call_1", is_error: true }],
    });
    expect(readFileSync(session.path, "utf8").split("\n")[0]).toContain("session_meta");
  });

  it("replays a compaction: the summary replaces the older messages", () => {
    const root = home();
    const session = SessionFile.create(root, { cwd: "/repo", model: "lab/m" });
    for (const text of ["one", "two", "three"])
      session.appendMessage({ role: "user", content: [{ type: "text", text }] });
    session.compact("we discussed one and two", 0, 2);
    session.close();
    const reopened = SessionFile.open(session.path);
    expect(JSON.stringify(reopened.history())).toContain("we discussed one and two");
    expect(JSON.stringify(reopened.history())).not.toContain('"one"');
    expect(reopened.history()).toHaveLength(2);
  });
});

describe("session locks", () => {
  it("a session held by a running process is refused until it is closed", () => {
    const root = home();
    const session = SessionFile.create(root, { cwd: "/repo", model: "lab/m" });
    expect(() => SessionFile.open(session.path)).toThrow(
      `session ${session.id} is in use by another hedge process (pid ${process.pid})`,
    );
    session.close();
    SessionFile.open(session.path).close();
  });

  it("a lock left by a process that no longer runs is taken over", () => {
    const root = home();
    const session = SessionFile.create(root, { cwd: "/repo", model: "lab/m" });
    session.close();
    const gone = spawnSync(process.execPath, ["-e", ""]);
    writeFileSync(`${session.path}.lock`, JSON.stringify({ pid: gone.pid, host: hostname() }));
    const reopened = SessionFile.open(session.path);
    expect(readFileSync(`${session.path}.lock`, "utf8")).toContain(`"pid":${process.pid}`);
    reopened.close();
  });

  it("a lock whose pid now belongs to another program is taken over", async () => {
    const root = home();
    const session = SessionFile.create(root, { cwd: "/repo", model: "lab/m" });
    session.close();
    const other = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    try {
      // The holder had this pid but started at another time: the pid was reused.
      writeFileSync(
        `${session.path}.lock`,
        JSON.stringify({ pid: other.pid, host: hostname(), started: "1" }),
      );
      SessionFile.open(session.path).close();
    } finally {
      other.kill("SIGKILL");
      await new Promise((resolve) => other.on("close", resolve));
    }
  });
});
