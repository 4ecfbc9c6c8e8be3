import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findProjectConfig } from "./load.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("findProjectConfig", () => {
  it("is not stopped by an empty .git directory (a sandbox placeholder) below the repository", () => {
    const repo = realpathSync(mkdtempSync(join(tmpdir(), "hedge-overlay-")));
    dirs.push(repo);
    execFileSync("git", ["init", "-q"], { cwd: repo });
    mkdirSync(join(repo, ".hedge"));
    writeFileSync(join(repo, ".hedge", "config.toml"), '[sandbox]\nmode = "read-only"\n');
    // What the sandbox mounts while another hedge's command runs in pkg/app.
    mkdirSync(join(repo, "pkg", "app", ".git"), { recursive: true });
    mkdirSync(join(repo, "pkg", "app", ".hedge"));
    const userFile = join(repo, "no-user-config.toml");
    expect(findProjectConfig(join(repo, "pkg", "app"), userFile)).toBe(
      join(repo, ".hedge", "config.toml"),
    );
  });
});
