import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { withFileLock } from "../src/lock.js";
import { useTempHomes } from "./helpers.js";

const home = useTempHomes();
function lockPath(): string {
  return join(home(), "x.lock");
}

describe("withFileLock", () => {
  it("runs critical sections one at a time", async () => {
    const path = lockPath();
    const events: string[] = [];
    const section = (id: string) =>
      withFileLock(path, async () => {
        events.push(`${id}:in`);
        await sleep(20);
        events.push(`${id}:out`);
      });
    await Promise.all([section("a"), section("b"), section("c")]);
    for (let index = 0; index < events.length; index += 2) {
      expect(events[index]?.replace(":in", "")).toBe(events[index + 1]?.replace(":out", ""));
    }
  });

  it("takes over a lock left by a process that is gone", async () => {
    const path = lockPath();
    // pid 2^22+1 is above Linux's pid_max default range: nobody holds it.
    writeFileSync(path, `4194305 ${Date.now()}\n`);
    await expect(withFileLock(path, () => "done", { timeoutMs: 2000 })).resolves.toBe("done");
  });

  it("times out with a clear error while a live process holds it", async () => {
    const path = lockPath();
    writeFileSync(path, `${process.ppid} ${Date.now()}\n`);
    await expect(withFileLock(path, () => "never", { timeoutMs: 200 })).rejects.toMatchObject({
      code: "lock_timeout",
    });
  });

  it("releases the lock when the work throws", async () => {
    const path = lockPath();
    await expect(
      withFileLock(path, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(withFileLock(path, () => "again", { timeoutMs: 200 })).resolves.toBe("again");
  });
});
