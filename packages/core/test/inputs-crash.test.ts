import { spawn, type ChildProcess } from "node:child_process";
import { realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, makeTempHome, startScriptedUpstream } from "@hedge/testkit";
import type { ScriptedRequest } from "@hedge/testkit";
import { SqliteInputStore } from "../src/thread/sqlite-input-store.js";
import { drain, threadOn, userTexts, waitForFile } from "./thread-harness.js";

const CHILD = fileURLToPath(new URL("./fixtures/inputs-crash-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Starts the child; resolves with its first stdout line once it printed one. */
function startChild(args: string[]): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve({ child, line });
    });
    child.on("exit", (code) => reject(new Error(`child exited ${code}: ${err}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("pending inputs survive kill -9 (a real child process)", () => {
  it("every input the killed process accepted comes back once, in order; none is delivered twice", async () => {
    const seen: ScriptedRequest[] = [];
    const upstream = await startScriptedUpstream({
      respond: (request) => {
        seen.push(request);
        return request.lastUserText === "long task"
          ? { toolCalls: [waitForFile("never")] }
          : { text: "Done." };
      },
    });
    const home = await makeTempHome();
    const workspace = await makeTempDir("hedge-crash-");
    cleanups.push(
      () => upstream.close(),
      () => home.cleanup(),
      () => workspace.cleanup(),
      // The killed process's tool still waits for this file: let it end.
      () => writeFileSync(join(workspace.path, "never"), ""),
    );
    const cwd = realpathSync(workspace.path);
    const { child, line } = await startChild([upstream.url, home.path, cwd]);
    const { session, ids } = JSON.parse(line) as { session: string; ids: string[] };

    const store = await SqliteInputStore.open(join(home.path, "inputs.db"));
    cleanups.push(() => store.close());
    // While it lives, the session is its alone.
    expect(() =>
      threadOn({
        url: upstream.url,
        home: home.path,
        cwd,
        deps: { inputs: store, resume: { id: session } },
      }),
    ).toThrow(/in use by another hedge process/);

    await killed(child);

    const thread = threadOn({
      url: upstream.url,
      home: home.path,
      cwd,
      deps: { inputs: store, resume: { id: session } },
    });
    cleanups.push(() => thread.close());
    const opened = thread.openInputs();
    expect(opened.restored.map(({ text }) => text)).toEqual([
      "claimed, never written",
      "also fix the docs",
      "then deploy",
      "and the changelog",
    ]);
    expect(opened.restored.slice(1).map(({ id }) => id)).toEqual(ids);
    expect(opened.restored[1]?.composer).toBe('{"text":"also fix the docs"}');
    // The turn's own prompt was delivered (the session file says so): it does not come back.
    expect(opened.restored.map(({ text }) => text)).not.toContain("long task");

    // The user sends the restored text as one message: the model gets each part once.
    const prompt = opened.restored.map(({ text }) => text).join("\n\n");
    const events = await drain(
      thread.run({ prompt, supersedes: opened.restored.map(({ id }) => id) }),
    );
    expect(events.at(-1)).toMatchObject({ type: "turn.completed" });
    expect(userTexts(seen.at(-1))).toEqual(["long task", prompt]);
    const everything = JSON.stringify(seen.map((request) => request.conversation));
    for (const text of ["also fix the docs", "then deploy", "and the changelog"])
      expect(everything.split(text)).toHaveLength(2);
    await thread.close();

    // Resumed once more: nothing comes back a second time.
    const again = threadOn({
      url: upstream.url,
      home: home.path,
      cwd,
      deps: { inputs: store, resume: { id: session } },
    });
    cleanups.push(() => again.close());
    expect(again.openInputs()).toEqual({ restored: [], draft: undefined });
  });
});
