import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMembers, initRepo, makeHome, waitFor, type Home } from "./harness.js";

let home: Home;
beforeAll(async () => {
  home = await makeHome();
  writeFileSync(join(home.work, "a.txt"), "a\n");
  initRepo(home.work);
  await home.startDaemon();
});
afterAll(async () => home?.cleanup());

async function addAndRun(name: string, args: string[]): Promise<ReturnType<Home["runs"]>[number]> {
  const added = await home.hedge(["loop", "add", name, "--every", "1h", ...args]);
  expect(added.code, added.stderr).toBe(0);
  const queued = await home.hedge(["loop", "run", name]);
  expect(queued.code, queued.stderr).toBe(0);
  return waitFor(`${name} to end`, () => home.runs(name).find((run) => run.endedAtMs !== null));
}

describe("a run succeeds by exit codes, never by the agent's words (#95272)", () => {
  it("exit 3 is failed, whatever the output says", async () => {
    const run = await addAndRun("exit3", [
      "--agent",
      "command",
      "--",
      "/bin/sh",
      "-c",
      "echo 'All tasks completed successfully'; exit 3",
    ]);
    expect(run).toEqual(
      expect.objectContaining({ status: "failed", reason: "exit 3", exitCode: 3 }),
    );
  });

  it("exit 0 with a failing --verify is failed", async () => {
    const run = await addAndRun("verified", [
      "--agent",
      "command",
      "--verify",
      "/bin/sh -c 'exit 1'",
      "--",
      "true",
    ]);
    expect(run).toEqual(
      expect.objectContaining({
        status: "failed",
        reason: "verify exit 1",
        exitCode: 0,
        verifyExitCode: 1,
      }),
    );
  });

  it("exit 0 with a passing --verify is succeeded", async () => {
    const run = await addAndRun("fine", ["--agent", "command", "--verify", "true", "--", "true"]);
    expect(run).toEqual(
      expect.objectContaining({ status: "succeeded", exitCode: 0, verifyExitCode: 0 }),
    );
  });

  it("a binary gone by run time is a failed run (spawn ENOENT), not a run stamped as done (#76304)", async () => {
    const script = join(home.work, "agent.sh");
    writeFileSync(script, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const added = await home.hedge([
      "loop",
      "add",
      "gone",
      "--every",
      "1h",
      "--agent",
      "command",
      "--",
      script,
    ]);
    expect(added.code, added.stderr).toBe(0);
    rmSync(script);
    await home.hedge(["loop", "run", "gone"]);
    const run = await waitFor("gone to end", () =>
      home.runs("gone").find((r) => r.endedAtMs !== null),
    );
    expect(run).toEqual(expect.objectContaining({ status: "failed", reason: "spawn ENOENT" }));
    const list = await home.hedge(["loop", "list"]);
    expect(list.stdout).toMatch(/gone .* last failed \(spawn ENOENT\)/);
  });

  it("a run that changed nothing is marked no_changes; one that did, changed with its diff stat", async () => {
    const idle = await addAndRun("idle", ["--agent", "command", "--", "true"]);
    expect(idle).toEqual(
      expect.objectContaining({ status: "succeeded", outcome: "no_changes", diffFiles: 0 }),
    );
    const busy = await addAndRun("busy", [
      "--agent",
      "command",
      "--",
      "/bin/sh",
      "-c",
      "echo b >> a.txt; echo new > b.txt",
    ]);
    expect(busy).toEqual(
      expect.objectContaining({
        status: "succeeded",
        outcome: "changed",
        diffFiles: 2,
        diffInsertions: 1,
      }),
    );
  });
});

describe("the wall-clock timeout (#89639)", () => {
  it("kills the whole group, records timed_out, and frees the loop for its next slot", async () => {
    const added = await home.hedge([
      "loop",
      "add",
      "wedged",
      "--every",
      "3s",
      "--timeout",
      "2s",
      "--agent",
      "command",
      "--",
      "/bin/sh",
      "-c",
      "sleep 600 & sleep 600",
    ]);
    expect(added.code, added.stderr).toBe(0);
    const first = await waitFor(
      "a timed-out run",
      () => home.runs("wedged").find((run) => run.status === "timed_out"),
      30_000,
    );
    expect(first.reason).toBe("timeout 2s");
    expect(groupMembers(first.pgid!)).toEqual([]);
    // The next slot starts: the wedged run held nothing.
    await waitFor(
      "a later run",
      () =>
        home
          .runs("wedged")
          .find((run) => run.scheduledFor > first.scheduledFor && run.startedAtMs !== null),
      30_000,
    );
    await home.hedge(["loop", "pause", "wedged"]);
  });
});
