// The TUI's libraries load only for the interactive session: `hedge --help`, `hedge exec` and a
// refused session (no terminal) evaluate no ink, React or Yoga (checked on the built binary).
import { afterEach, describe, expect, it } from "vitest";
import { execFixture, type ExecFixture } from "./exec-helpers.js";
import { loadedBy } from "./loaded-modules.js";

const UI_PACKAGES = ["ink", "react", "react-reconciler", "yoga-layout", "marked", "lowlight"];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function fixture(): Promise<ExecFixture> {
  const made = await execFixture();
  cleanups.push(() => made.cleanup());
  return made;
}

describe("the TUI loads only for the interactive session", () => {
  it("hedge --help loads none of it", async () => {
    const { run, loaded } = await loadedBy(["--help"], {});
    expect(run.code).toBe(0);
    for (const name of UI_PACKAGES) expect(loaded.packages).not.toContain(name);
  });

  it("hedge exec loads none of it", async () => {
    const made = await fixture();
    made.upstream.push({ text: "done" });
    const { run, loaded } = await loadedBy(["exec", "-C", made.repo.path, "say done"], made.env);
    expect(run.stdout).toBe("done\n");
    for (const name of UI_PACKAGES) expect(loaded.packages).not.toContain(name);
  });

  it("hedge without a terminal refuses before loading it", async () => {
    const made = await fixture();
    const { run, loaded } = await loadedBy(["-C", made.repo.path], made.env);
    expect(run.code).toBe(2);
    for (const name of UI_PACKAGES) expect(loaded.packages).not.toContain(name);
  });
});
