import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HEDGE_BIN, commitAll, initRepo, makeHome, waitFor, type Home } from "./harness.js";

let home: Home;
afterEach(async () => home?.cleanup());

function commit(cwd: string, file: string): void {
  writeFileSync(
    join(cwd, file),
    `${file}
`,
  );
  commitAll(cwd, file);
}

describe("triggers", () => {
  it("--watch: a burst of matching changes is one debounced run; other files and .git are ignored", async () => {
    home = await makeHome();
    mkdirSync(join(home.work, "src"));
    const added = await home.hedge([
      "loop",
      "add",
      "w",
      "--watch",
      "src/**/*.ts",
      "--debounce",
      "500ms",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    expect(added.code, added.stderr).toBe(0);
    await home.startDaemon();
    writeFileSync(join(home.work, "notes.md"), "x");
    for (let index = 0; index < 5; index += 1)
      writeFileSync(join(home.work, "src", "a.ts"), `${index}`);
    const run = await waitFor("the watch run", () =>
      home.runs("w").find((r) => r.status === "succeeded"),
    );
    expect(run.trigger).toBe("watch");
    writeFileSync(join(home.work, "notes.md"), "y");
    writeFileSync(join(home.work, "src", "b.ts"), "b");
    await waitFor(
      "a second run",
      () => home.runs("w").filter((r) => r.status === "succeeded").length === 2,
    );
    expect(home.runs("w")).toHaveLength(2);
  });

  it("--on-commit: a new commit on the branch runs once; starting the daemon is not a commit", async () => {
    home = await makeHome();
    writeFileSync(join(home.work, "a"), "a\n");
    initRepo(home.work, { branch: "trunk" });
    const added = await home.hedge([
      "loop",
      "add",
      "c",
      "--on-commit",
      "--agent",
      "command",
      "--",
      "true",
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain("on commit to trunk");
    await home.startDaemon();
    commit(home.work, "b");
    const run = await waitFor("the commit run", () =>
      home.runs("c").find((r) => r.status === "succeeded"),
    );
    const head = execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: home.work,
      encoding: "utf8",
    }).trim();
    expect(run).toEqual(
      expect.objectContaining({ trigger: "commit", triggerRef: `commit:${head}` }),
    );
    expect(home.runs("c")).toHaveLength(1);
  });
});

describe("hedge daemon install / uninstall", () => {
  it("writes the systemd user unit for this hedge and home, and removes it", async () => {
    home = await makeHome();
    const install = await home.hedge(["daemon", "install", "--no-start"]);
    expect(install.code, install.stderr).toBe(0);
    const unit = join(home.home, ".config", "systemd", "user", "hedge-daemon.service");
    const text = readFileSync(unit, "utf8");
    expect(text).toContain(`ExecStart=${process.execPath} ${HEDGE_BIN} daemon run`);
    expect(text).toContain(`Environment="HEDGE_HOME=${home.home}"`);
    expect(text).toContain("Restart=on-failure");
    const uninstall = await home.hedge(["daemon", "uninstall", "--no-stop"]);
    expect(uninstall.code).toBe(0);
    expect(existsSync(unit)).toBe(false);
  });
});
