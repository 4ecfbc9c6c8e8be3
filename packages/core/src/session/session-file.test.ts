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

  it("a lock whose holder is a zombie (exited, not reaped) is taken over", async () => {
    const root = home();
    const session = SessionFile.create(root, { cwd: "/repo", model: "lab/m" });
    session.close();
    // sh starts a child that exits a moment later, after sh has become `sleep`, which never
    // reaps it (a child that exits while sh still runs may be reaped by sh).
    const parent = spawn("sh", ["-c", "sleep 1 & echo $!; exec sleep 30"]);
    try {
      const pid = await new Promise<number>((resolve) =>
        parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
      );
      let state = "";
      for (let tries = 0; tries < 1000 && state !== "Z"; tries++) {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? "";
        if (state !== "Z") await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(state).toBe("Z");
      writeFileSync(`${session.path}.lock`, JSON.stringify({ pid, host: hostname() }));
      const reopened = SessionFile.open(session.path);
      expect(readFileSync(`${session.path}.lock`, "utf8")).toContain(`"pid":${process.pid}`);
      reopened.close();
    } finally {
      parent.kill("SIGKILL");
      await new Promise((resolve) => parent.on("close", resolve));
    }
  });
});

describe("read-only sessions", () => {
  const route = (role: string, profile: string) => ({
    type: "item.completed" as const,
    item: {
      id: `item_${role}_${profile}`,
      type: "route_decision" as const,
      role,
      model: "lab/m",
      provider: "lab",
      upstream_model: "m",
      profile,
      reason: "test",
    },
  });

  it("opens a session another process holds, writes nothing to it, and keeps asides beside it", () => {
    const root = home();
    const holder = SessionFile.create(root, { cwd: "/repo", model: "lab/m" });
    holder.appendMessage({ role: "user", content: [{ type: "text", text: "hello" }] });
    holder.appendEvent(route("executor", "work"));
    holder.appendEvent(route("executor", "spare"));
    // The holder is mid-write of its next line.
    appendFileSync(holder.path, '{"type":"message","at":"2026');
    const before = readFileSync(holder.path, "utf8");
    const reader = SessionFile.openReadOnly(holder.path);
    expect(reader.history()).toHaveLength(1);
    expect(reader.routes()).toMatchObject([{ role: "executor", profile: "spare" }]);
    reader.appendAside({ id: "aside_1", question: "q?", answer: "a.", model: "lab/m" });
    expect(() =>
      reader.appendMessage({ role: "user", content: [{ type: "text", text: "x" }] }),
    ).toThrow(/read-only/);
    reader.close();
    // The session file is untouched and still held; the aside is in the file beside it.
    expect(readFileSync(holder.path, "utf8")).toBe(before);
    expect(() => SessionFile.open(holder.path)).toThrow(/in use by another hedge process/);
    expect(holder.asides()).toMatchObject([{ id: "aside_1", answer: "a." }]);
    expect(findSession(root, { last: true })).toBe(holder.path);
    holder.close();
  });
});
