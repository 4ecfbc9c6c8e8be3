import { createConnection } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { socketPath } from "../src/ipc/paths.js";
import { makeHome, type Home } from "./harness.js";

let home: Home;
afterEach(async () => home?.cleanup());

/** Sends raw lines on the socket and collects the lines received until `count` arrived. */
function exchange(path: string, lines: string[], count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const received: string[] = [];
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      received.push(...parts.filter(Boolean));
      if (received.length >= count) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
    socket.on("connect", () => socket.write(lines.map((line) => `${line}\n`).join("")));
  });
}

describe("one daemon per home", () => {
  it("a second daemon refuses to start with one line; start reports the running one", async () => {
    home = await makeHome();
    const first = await home.startDaemon();
    const second = await home.hedge(["daemon", "run"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^hedge: hedge daemon is already running/);
    expect(second.stderr).toContain("hint:");
    const start = await home.hedge(["daemon", "start"]);
    expect(start.stdout).toContain(`already running (pid ${first.pid})`);
    const status = JSON.parse((await home.hedge(["daemon", "status", "--json"])).stdout) as {
      pid: number;
      running: boolean;
    };
    expect(status).toEqual(expect.objectContaining({ running: true, pid: first.pid }));
  });

  it("a stale socket left by a killed daemon does not block the next one", async () => {
    home = await makeHome();
    const first = await home.startDaemon();
    first.child.kill("SIGKILL");
    await first.exited;
    const second = await home.startDaemon();
    expect(second.pid).not.toBe(first.pid);
  });

  it("start, status, stop", async () => {
    home = await makeHome();
    const start = await home.hedge(["daemon", "start"]);
    expect(start.code, start.stderr).toBe(0);
    expect((await home.hedge(["daemon", "status"])).stdout).toContain("hedge daemon running");
    expect((await home.hedge(["daemon", "stop"])).stdout).toContain("stopped");
    const down = await home.hedge(["daemon", "status"]);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain("not running");
    expect((await home.hedge(["loop", "list"])).code).toBe(0);
  });
});

describe("the socket protocol", () => {
  it("greets, answers a bad line with an error and keeps serving", async () => {
    home = await makeHome();
    await home.startDaemon();
    const lines = await exchange(
      socketPath(home.home),
      [
        '{"hello":"hedge-daemon","protocol":1}',
        "not json",
        '{"id":1,"method":"rm -rf"}',
        '{"id":2,"method":"daemon.status"}',
      ],
      4,
    );
    const [hello, bad, unknown, status] = lines.map(
      (line) => JSON.parse(line) as Record<string, unknown>,
    );
    expect(hello).toEqual({ hello: "hedge-daemon", protocol: 1 });
    expect(bad).toMatchObject({ id: null, error: { code: "bad_request" } });
    expect(unknown).toMatchObject({ id: 1, error: { code: "bad_request" } });
    expect(status).toMatchObject({ id: 2, result: { runningRuns: 0 } });
  });

  it("ends a connection that sends an over-long line; the daemon survives", async () => {
    home = await makeHome();
    await home.startDaemon();
    const lines = await exchange(socketPath(home.home), ["x".repeat(1_100_000)], 2);
    expect(lines.some((line) => line.includes("line_too_long"))).toBe(true);
    expect((await home.hedge(["daemon", "status"])).code).toBe(0);
  });

  it("loop run with the daemon down: one line and the next step", async () => {
    home = await makeHome();
    await home.hedge(["loop", "add", "x", "--every", "1h", "--agent", "command", "--", "true"]);
    const result = await home.hedge(["loop", "run", "x"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^hedge: no hedge daemon answers on .*\n {2}hint: start it: hedge daemon start/,
    );
  });
});
