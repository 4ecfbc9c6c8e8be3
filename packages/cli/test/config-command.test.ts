import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runHedge, tempDir } from "./run-hedge.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});
function dir(): string {
  const created = tempDir();
  cleanups.push(created.cleanup);
  return created.path;
}

describe("hedge config", () => {
  it("resolves user < project < -c and shows each source", async () => {
    const home = dir();
    const project = dir();
    mkdirSync(join(project, ".git"));
    mkdirSync(join(project, ".hedge"));
    mkdirSync(join(project, "src"));
    writeFileSync(
      join(home, "config.toml"),
      '[roles]\nexecutor = "user/exec"\nqa = "user/qa"\n[qa]\nmax_rounds = 5\n',
    );
    writeFileSync(join(project, ".hedge", "config.toml"), '[roles]\nqa = "project/qa"\n');
    const run = await runHedge(
      ["config", "show", "--json", "-c", "qa.max_rounds=2", "-c", 'roles.orchestrator="cli/orch"'],
      { env: { HEDGE_HOME: home }, cwd: join(project, "src") },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      sources: string[];
      config: { roles: Record<string, string>; qa: { max_rounds: number } };
    };
    expect(shown.config.roles).toMatchObject({
      orchestrator: "cli/orch",
      executor: "user/exec",
      qa: "project/qa",
    });
    expect(shown.config.qa.max_rounds).toBe(2);
    expect(shown.sources).toEqual([
      join(home, "config.toml"),
      join(project, ".hedge", "config.toml"),
      "-c",
    ]);
  });

  it("redacts secrets in config show, TOML and JSON", async () => {
    const home = dir();
    writeFileSync(
      join(home, "config.toml"),
      [
        'store = "redis://:hunter2@127.0.0.1:6379"',
        "[providers.lab]",
        'base_url = "http://127.0.0.1:8000/v1"',
        'api_key = "sk-lab-secret-123456"',
        'api_key_env = "LAB_KEY"',
        'headers = { "X-Team-Token" = "tok-987654" }',
      ].join("\n"),
    );
    for (const args of [
      ["config", "show"],
      ["config", "show", "--json"],
    ]) {
      const run = await runHedge(args, { env: { HEDGE_HOME: home } });
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain("sk-lab-secret-123456");
      expect(run.stdout).not.toContain("tok-987654");
      expect(run.stdout).not.toContain("hunter2");
      expect(run.stdout).toContain("LAB_KEY");
      expect(run.stdout).toContain("<redacted>");
    }
  });

  it("names file, line and column for invalid TOML, without a stack trace", async () => {
    const home = dir();
    writeFileSync(join(home, "config.toml"), '[roles]\nexecutor = "unterminated\n');
    const run = await runHedge(["config", "show"], { env: { HEDGE_HOME: home } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp(`^hedge: ${join(home, "config.toml")}:2:\\d+: invalid TOML`),
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("names the key path and expected type for a wrong type", async () => {
    const home = dir();
    writeFileSync(join(home, "config.toml"), '[qa]\nmax_rounds = "three"\n');
    const run = await runHedge(["config", "show"], { env: { HEDGE_HOME: home } });
    expect(run.code).toBe(3);
    expect(run.stderr.split("\n")[0]).toBe(
      `hedge: ${join(home, "config.toml")}: qa.max_rounds: expected number, got "three"`,
    );
  });

  it("shows a bad value back without the password of a URL in it", async () => {
    const home = dir();
    const run = await runHedge(["-c", "daemon.store=redis://:hunter2@cache host", "loop", "list"], {
      env: { HEDGE_HOME: home },
    });
    expect(run.code).toBe(3);
    expect(run.stderr.split("\n")[0]).toBe(
      'hedge: -c: daemon.store: write it as "redis://[:password@]host:port[/db]", got "redis://***@cache host"',
    );
    expect(run.stderr).not.toContain("hunter2");
  });

  it("names an unknown key and suggests the nearest one", async () => {
    const home = dir();
    writeFileSync(join(home, "config.toml"), '[policy]\nallow_class = ["local"]\n');
    const run = await runHedge(["config", "show"], { env: { HEDGE_HOME: home } });
    expect(run.code).toBe(3);
    expect(run.stderr.split("\n")[0]).toBe(
      `hedge: ${join(home, "config.toml")}: unknown key policy.allow_class (did you mean allow_classes?)`,
    );
  });

  it("attributes a bad -c value to -c and a bad project value to the project file", async () => {
    const home = dir();
    const project = dir();
    mkdirSync(join(project, ".hedge"));
    writeFileSync(join(project, ".hedge", "config.toml"), '[sandbox]\nmode = "yolo"\n');
    const fromProject = await runHedge(["config", "show"], {
      env: { HEDGE_HOME: home },
      cwd: project,
    });
    expect(fromProject.stderr.split("\n")[0]).toBe(
      `hedge: ${join(project, ".hedge", "config.toml")}: sandbox.mode: expected one of "read-only", "workspace-write", "danger-full-access", got "yolo"`,
    );
    const fromFlag = await runHedge(["config", "show", "-c", 'policy.allow_classes=["cloud"]'], {
      env: { HEDGE_HOME: home },
    });
    expect(fromFlag.code).toBe(3);
    expect(fromFlag.stderr).toContain(
      '-c: policy.allow_classes[0]: expected one of "local", "hosted", got "cloud"',
    );
  });

  it("config path lists the files that apply even when one is invalid", async () => {
    const home = dir();
    writeFileSync(join(home, "config.toml"), "not toml at all [");
    const run = await runHedge(["config", "path", "--json"], { env: { HEDGE_HOME: home } });
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      files: { kind: string; path: string; exists: boolean }[];
    };
    expect(shown.files[0]).toEqual({ kind: "user", path: join(home, "config.toml"), exists: true });
  });
});
