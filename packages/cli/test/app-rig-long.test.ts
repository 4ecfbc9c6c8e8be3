// The whole app on a real thread with a long history: `hedge resume` of a 2,000-cell session
// prints the screenful that fits, not the whole history, and the session goes on from there.
import { realpathSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, makeTempHome, startScriptedUpstream } from "@hedge/testkit";
import { AppRig } from "./app-rig.js";
import { writeLongSession } from "./long-session.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe("a long session in the app", () => {
  it("resuming 2,000 cells prints the last ones that fit and one line for the rest; a new turn appends below", async () => {
    const home = await makeTempHome();
    const workspace = await makeTempDir("hedge-rig-");
    const upstream = await startScriptedUpstream();
    cleanups.push(async () => {
      await upstream.close();
      await home.cleanup();
      await workspace.cleanup();
    });
    writeLongSession(home.path, realpathSync(workspace.path), 400);
    const rig = await AppRig.start({ resume: { home, workspace, upstream }, rows: 30 });
    cleanups.push(() => rig.stop({ keepHome: true }));

    const screen = rig.text();
    expect(screen).toMatch(/Step 1 of turn 399: changed src\/a\.ts/);
    expect(screen).toMatch(/… 1,99\d earlier cells not shown/);
    expect(screen).not.toMatch(/turn 0: fix it/);
    // What <Static> printed: about a screenful (30 rows), not 2,000 cells.
    const printed = (screen.match(/Ran pnpm test/g) ?? []).length;
    expect(printed).toBeGreaterThan(0);
    expect(printed).toBeLessThanOrEqual(3);
    expect(rig.controller.transcript.committed.length).toBeLessThan(10);

    upstream.push({ text: "Appended after the resume.", chunkIntervalMs: 5 });
    rig.keys("go on\r");
    await rig.waitForText(/Appended after the resume\./);
    const after = rig.text();
    expect(after.indexOf("Appended after the resume.")).toBeGreaterThan(
      after.indexOf("Step 1 of turn 399"),
    );
    expect(after.match(/earlier cells not shown/g)).toHaveLength(1);
  });
});
