import { afterEach, describe, expect, it } from "vitest";
import { runHedge, tempDir } from "./run-hedge.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});
function home(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return dir.path;
}

describe("hedge binary", () => {
  it("prints its version", async () => {
    const run = await runHedge(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^hedge \d+\.\d+\.\d+/);
  });

  it("lists the registered commands in --help", async () => {
    const run = await runHedge(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["doctor", "config"]) expect(run.stdout).toContain(command);
  });

  it("rejects an unknown command with one line, a suggestion and exit 2", async () => {
    const run = await runHedge(["doctr"], { env: { HEDGE_HOME: home() } });
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe("hedge: unknown command 'doctr' (did you mean doctor?)");
    expect(run.stderr).toContain("hedge --help");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("rejects an unknown flag with exit 2", async () => {
    const run = await runHedge(["doctor", "--jsno"], { env: { HEDGE_HOME: home() } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--jsno' (did you mean --json?)");
  });

  it("rejects a malformed -c override as usage", async () => {
    const run = await runHedge(["config", "show", "-c", "no-equals"], {
      env: { HEDGE_HOME: home() },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('-c expects key=value, got "no-equals"');
  });
});
