import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentEvent } from "../src/agent/events.js";
import { makeTempDir } from "@hedge/testkit";
import { findSession } from "../src/session/session-file.js";
import { SqliteInputStore } from "../src/thread/sqlite-input-store.js";
import { drain, threadOn, threadRig, waitForFile, type ThreadRig } from "./thread-harness.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const isCommandStart = (event: AgentEvent): boolean =>
  event.type === "item.started" && event.item.type === "command_execution";

/** A thread rig whose thread keeps its inputs in a real inputs.db. */
async function durableRig(): Promise<{ rig: ThreadRig; store: SqliteInputStore }> {
  const dir = await makeTempDir("hedge-inputs-");
  const store = await SqliteInputStore.open(join(dir.path, "inputs.db"));
  cleanups.push(
    () => dir.cleanup(),
    () => store.close(),
  );
  const rig = await threadRig(
    (request) =>
      request.lastUserText === "long task" ? { toolCalls: [waitForFile("never")] } : { text: "ok" },
    { deps: { inputs: store } },
  );
  cleanups.push(() => rig.cleanup());
  return { rig, store };
}

describe("Thread with a durable input store", () => {
  it("the session file exists once an input is stored, so a crash before the first turn is resumable", async () => {
    const { rig } = await durableRig();
    const started = rig.thread.start({ prompt: "long task" });
    expect(started.input).toMatchObject({ text: "long task", state: "queued", kind: "turn" });
    expect(findSession(rig.home.path, { id: rig.thread.id })).toContain(rig.thread.id);
    const restored = await rig.thread.interrupt();
    expect(restored.map(({ id }) => id)).toEqual([started.input.id]);
    await drain(started.events);
  });

  it("a draft holding restored inputs comes back as the draft, not twice; openInputs waits for idle", async () => {
    const { rig, store } = await durableRig();
    let steerId = "";
    let refused: unknown;
    await drain(rig.thread.run({ prompt: "long task" }), async (event) => {
      if (!isCommandStart(event)) return;
      steerId = rig.thread.steer("keep me").id;
      try {
        rig.thread.openInputs();
      } catch (error) {
        refused = error;
      }
      await rig.thread.interrupt();
    });
    expect(refused).toMatchObject({ code: "thread_busy" });
    rig.thread.saveDraft({ composer: '{"text":"keep me, edited"}', restoredIds: [steerId] });
    await rig.thread.close();

    const resumed = threadOn({
      url: rig.upstream.url,
      home: rig.home.path,
      cwd: rig.workspace.path,
      deps: { inputs: store, resume: { id: rig.thread.id } },
    });
    cleanups.push(() => resumed.close());
    expect(resumed.openInputs()).toMatchObject({
      restored: [],
      draft: { composer: '{"text":"keep me, edited"}', restoredIds: [steerId] },
    });
    writeFileSync(join(rig.workspace.path, "never"), "");
  });
});
