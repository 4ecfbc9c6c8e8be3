import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { socketPath } from "../src/ipc/paths.js";
import { initRepo, makeHome, waitFor, type Home } from "./harness.js";

let home: Home;
afterEach(async () => home?.cleanup());

describe("the socket and the home", () => {
  it("the socket is 0600 and a group/world-readable home is tightened to 0700", async () => {
    home = await makeHome();
    chmodSync(home.home, 0o755);
    await home.startDaemon();
    expect(statSync(socketPath(home.home)).mode & 0o777).toBe(0o600);
    expect(statSync(home.home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home.home, "loops.db")).mode & 0o777).toBe(0o600);
  });
});

describe("webhooks", () => {
  async function webhookLoop(): Promise<{ url: string; secret: string }> {
    home = await makeHome("[daemon]\nwebhook_port = 0\n");
    const added = await home.hedge([
      "loop",
      "add",
      "hook",
      "--webhook",
      "--agent",
      "command",
      "--json",
      "--",
      "true",
    ]);
    expect(added.code, added.stderr).toBe(0);
    const { webhookSecret } = JSON.parse(added.stdout) as { webhookSecret: string };
    await home.startDaemon();
    const status = JSON.parse((await home.hedge(["daemon", "status", "--json"])).stdout) as {
      webhookUrl: string;
    };
    return { url: `${status.webhookUrl}/hooks/hook`, secret: webhookSecret };
  }

  it("refuses a POST without or with a wrong secret, and an unknown loop, alike; the secret is stored hashed", async () => {
    const { url, secret } = await webhookLoop();
    const none = await fetch(url, { method: "POST" });
    const wrong = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}x` },
    });
    const unknown = await fetch(url.replace("/hooks/hook", "/hooks/other"), {
      method: "POST",
      headers: { authorization: `Bearer ${secret}` },
    });
    expect([none.status, wrong.status, unknown.status]).toEqual([401, 401, 401]);
    expect(home.runs("hook")).toEqual([]);
    const db = new Database(join(home.home, "loops.db"), { readonly: true });
    const row = db.prepare("SELECT trigger_json FROM loops WHERE name = 'hook'").get() as {
      trigger_json: string;
    };
    db.close();
    expect(row.trigger_json).not.toContain(secret);
    const show = await home.hedge(["loop", "show", "hook", "--json"]);
    expect(show.stdout).not.toContain(secret);
  });

  it("runs on the right secret, once per delivery id", async () => {
    const { url, secret } = await webhookLoop();
    const headers = { authorization: `Bearer ${secret}`, "x-hedge-delivery": "d-1" };
    expect((await fetch(url, { method: "POST", headers })).status).toBe(202);
    expect((await fetch(url, { method: "POST", headers })).status).toBe(409);
    const run = await waitFor("the webhook run", () =>
      home.runs("hook").find((r) => r.status === "succeeded"),
    );
    expect(run).toEqual(expect.objectContaining({ trigger: "webhook", triggerRef: "webhook:d-1" }));
    expect(home.runs("hook")).toHaveLength(1);
  });
});

describe("loop logs RUN_ID", () => {
  it("refuses a path for a run id, and a ledger row whose log path leaves the logs directory", async () => {
    home = await makeHome();
    for (const id of ["../../../etc/passwd", "run_../../x", "/etc/passwd"]) {
      const result = await home.hedge(["loop", "logs", id]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("is not a run id");
    }
    await home.hedge([
      "loop",
      "add",
      "x",
      "--every",
      "1h",
      "--agent",
      "command",
      "--",
      "/bin/echo",
      "hello from the run",
    ]);
    await home.startDaemon();
    await home.hedge(["loop", "run", "x"]);
    const run = await waitFor("the run", () =>
      home.runs("x").find((r) => r.status === "succeeded"),
    );
    expect((await home.hedge(["loop", "logs", run.id])).stdout).toContain("hello from the run");
    const secret = join(home.work, "secret.txt");
    writeFileSync(secret, "do not print\n");
    const db = new Database(join(home.home, "loops.db"));
    db.prepare("UPDATE runs SET log_path = ? WHERE id = ?").run(secret, run.id);
    db.close();
    const tampered = await home.hedge(["loop", "logs", run.id]);
    expect(tampered.code).toBe(2);
    expect(tampered.stdout).not.toContain("do not print");
    expect(tampered.stderr).toContain("outside");
  });
});

describe("a hostile repository as a loop's cwd", () => {
  it("runs none of its git hooks, fsmonitor or diff drivers, and its .hedge overlay cannot set [hooks] or [daemon]", async () => {
    home = await makeHome();
    const repo = mkdtempSync(join(tmpdir(), "hedge-hostile-"));
    const pwned = join(home.work, "pwned");
    try {
      const git = (...args: string[]): void => {
        execFileSync("git", args, { cwd: repo, stdio: "ignore" });
      };
      writeFileSync(join(repo, "a.txt"), "a\n");
      writeFileSync(join(repo, ".gitattributes"), "*.txt diff=evil\n");
      initRepo(repo);
      const evil = join(repo, "evil.sh");
      writeFileSync(evil, `#!/bin/sh\necho "$0 $*" >> ${pwned}\n`, { mode: 0o755 });
      for (const hook of ["post-checkout", "post-commit", "pre-commit", "reference-transaction"]) {
        writeFileSync(join(repo, ".git", "hooks", hook), `#!/bin/sh\necho ${hook} >> ${pwned}\n`, {
          mode: 0o755,
        });
      }
      git("config", "core.fsmonitor", evil);
      git("config", "diff.evil.command", evil);
      git("config", "diff.external", evil);
      git("config", "core.pager", evil);
      mkdirSync(join(repo, ".hedge"));
      writeFileSync(
        join(repo, ".hedge", "config.toml"),
        '[hooks]\nturn_completed = ["x"]\n[daemon]\nmax_concurrent_runs = 256\nwebhook_port = 1\n',
      );

      const added = await home.hedge([
        "loop",
        "add",
        "x",
        "--every",
        "1h",
        "--worktree",
        "--cwd",
        repo,
        "--agent",
        "command",
        "--",
        "/bin/sh",
        "-c",
        "echo changed >> a.txt",
      ]);
      expect(added.code, added.stderr).toBe(0);
      // Started from inside the repository: its overlay must still have no say.
      await home.startDaemon();
      await home.hedge(["loop", "run", "x"], { cwd: repo });
      const run = await waitFor("the run", () => home.runs("x").find((r) => r.endedAtMs !== null));
      expect(run).toEqual(
        expect.objectContaining({ status: "succeeded", outcome: "changed", worktreeKept: true }),
      );
      expect(existsSync(pwned)).toBe(false);
      const status = JSON.parse(
        (await home.hedge(["daemon", "status", "--json"], { cwd: repo })).stdout,
      ) as { webhookUrl: string };
      expect(status.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(status.webhookUrl.endsWith(":1")).toBe(false);
      // The kept worktree is under the home and the repository's own tree is untouched.
      expect(run.worktreePath).toContain(join(home.home, "worktrees"));
      expect(readdirSync(run.worktreePath!)).toContain("a.txt");
      expect(
        execFileSync("git", ["-c", "core.fsmonitor=false", "status", "--porcelain"], {
          cwd: repo,
          encoding: "utf8",
          env: { PATH: process.env["PATH"], GIT_CONFIG_NOSYSTEM: "1" },
        }).includes("a.txt"),
      ).toBe(false);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
