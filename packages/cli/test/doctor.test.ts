import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runHedge, tempDir } from "./run-hedge.js";

interface DoctorReport {
  ok: boolean;
  checks: { id: string; status: string; summary: string; hint?: string }[];
  providers: { id: string; class: string; region: string; allowed: boolean; denied_by?: string }[];
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});
function dir(): string {
  const created = tempDir();
  cleanups.push(created.cleanup);
  return created.path;
}
async function doctor(
  home: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; report: DoctorReport; stdout: string }> {
  const run = await runHedge(["doctor", "--json"], { env: { HEDGE_HOME: home, ...env } });
  return { code: run.code, report: JSON.parse(run.stdout) as DoctorReport, stdout: run.stdout };
}
function check(report: DoctorReport, id: string) {
  const found = report.checks.find((item) => item.id === id);
  if (!found) throw new Error(`no ${id} check`);
  return found;
}

describe("hedge doctor", () => {
  it("passes on a healthy home and lists providers with class and policy", async () => {
    const home = dir();
    chmodSync(home, 0o700);
    writeFileSync(
      join(home, "config.toml"),
      [
        "[providers.ollama]",
        "[providers.anthropic]",
        'base_url = "https://api.anthropic.com/v1"',
        "[providers.lab]",
        'base_url = "http://192.168.1.20:8000/v1"',
      ].join("\n"),
    );
    const { code, report } = await doctor(home);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(check(report, "node").status).toBe("ok");
    expect(check(report, "home").status).toBe("ok");
    expect(check(report, "config").status).toBe("ok");
    expect(["ok", "warn"]).toContain(check(report, "keychain").status);
    expect(["ok", "warn"]).toContain(check(report, "sandbox").status);
    const byId = Object.fromEntries(report.providers.map((row) => [row.id, row]));
    expect(byId["ollama"]).toMatchObject({ class: "local", allowed: true });
    expect(byId["lab"]).toMatchObject({ class: "local", allowed: true });
    // Local-first: a hosted provider is listed but denied until deliberately allowed.
    expect(byId["anthropic"]).toMatchObject({ class: "hosted", region: "us", allowed: false });
    expect(byId["anthropic"]?.denied_by).toContain("policy.allow_classes");
  });

  it("fails with exit 1 on a broken config and names the problem", async () => {
    const home = dir();
    writeFileSync(join(home, "config.toml"), "[policy]\nallow_classes = 3\n");
    const { code, report } = await doctor(home);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(check(report, "config")).toMatchObject({ status: "fail" });
    expect(check(report, "config").summary).toContain("policy.allow_classes: expected array");
  });

  it("fails when HEDGE_HOME is a file, and warns when it is open to others", async () => {
    const parent = dir();
    const file = join(parent, "home-file");
    writeFileSync(file, "");
    const broken = await doctor(file);
    expect(broken.code).toBe(1);
    expect(check(broken.report, "home")).toMatchObject({ status: "fail" });

    const open = join(parent, "open-home");
    mkdirSync(open);
    chmodSync(open, 0o755);
    const warned = await doctor(open);
    expect(check(warned.report, "home")).toMatchObject({
      status: "warn",
      hint: `chmod 700 ${open}`,
    });
  });

  it("prints a readable checklist without --json", async () => {
    const home = dir();
    const run = await runHedge(["doctor"], { env: { HEDGE_HOME: home } });
    expect(run.code).toBe(0);
    for (const id of ["node", "home", "config", "keychain", "sandbox", "providers"]) {
      expect(run.stdout).toMatch(new RegExp(`^[✓!✗] ${id}\\b`, "m"));
    }
  });

  it("probes the sandbox as exec does: a bwrap that cannot mount /proc is not 'works'", async () => {
    const bin = dir();
    // Creates the namespaces the old doctor probe asked for, refuses the pid namespace and /proc.
    writeFileSync(
      join(bin, "bwrap"),
      [
        "#!/bin/sh",
        'if [ "$1" = "--version" ]; then echo "bubblewrap 0.0-test"; exit 0; fi',
        'for arg in "$@"; do',
        '  case "$arg" in --proc|--unshare-pid) echo "bwrap: Can\'t mount proc on /newroot/proc: Operation not permitted" >&2; exit 1;; esac',
        "done",
        "exit 0",
        "",
      ].join("\n"),
    );
    chmodSync(join(bin, "bwrap"), 0o755);
    const { report } = await doctor(dir(), { PATH: `${bin}:${process.env["PATH"] ?? ""}` });
    expect(check(report, "sandbox")).toMatchObject({
      status: "warn",
      summary:
        "bubblewrap 0.0-test is installed but cannot create a sandbox: bwrap: Can't mount proc on /newroot/proc: Operation not permitted",
    });
  });
});
