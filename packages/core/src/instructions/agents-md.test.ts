import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AGENTS_MD_LIMIT, loadProjectInstructions } from "./agents-md.js";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "hedge-agents-"));
  dirs.push(dir);
  return dir;
}

/** The least git takes for a repository: `.git/HEAD` (an empty `.git` is not one). */
function makeGitDir(repo: string): void {
  mkdirSync(join(repo, ".git"), { recursive: true });
  writeFileSync(join(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
}

describe("AGENTS.md", () => {
  it("concatenates HEDGE_HOME's, then the git root's down to the working directory", () => {
    const home = temp();
    const repo = temp();
    makeGitDir(repo);
    mkdirSync(join(repo, "packages", "api"), { recursive: true });
    writeFileSync(join(home, "AGENTS.md"), "global: be brief");
    writeFileSync(join(repo, "AGENTS.md"), "root: use pnpm");
    writeFileSync(join(repo, "packages", "api", "AGENTS.md"), "api: run the api tests");
    const loaded = loadProjectInstructions(home, join(repo, "packages", "api"));
    expect(loaded.files).toEqual([
      join(home, "AGENTS.md"),
      join(repo, "AGENTS.md"),
      join(repo, "packages", "api", "AGENTS.md"),
    ]);
    const order = ["global: be brief", "root: use pnpm", "api: run the api tests"].map((text) =>
      loaded.text.indexOf(text),
    );
    expect(
      order.every(
        (index, position) => index >= 0 && (position === 0 || index > (order[position - 1] ?? 0)),
      ),
    ).toBe(true);
    expect(loaded.truncated).toBe(false);
  });

  it("stops at the git root and ignores AGENTS.md above it", () => {
    const outer = temp();
    const repo = join(outer, "repo");
    makeGitDir(repo);
    writeFileSync(join(outer, "AGENTS.md"), "outside the repo");
    writeFileSync(join(repo, "AGENTS.md"), "inside");
    const loaded = loadProjectInstructions(temp(), repo);
    expect(loaded.text).toContain("inside");
    expect(loaded.text).not.toContain("outside the repo");
  });

  it("caps the total at 32 KiB", () => {
    const repo = temp();
    makeGitDir(repo);
    writeFileSync(join(repo, "AGENTS.md"), "x".repeat(AGENTS_MD_LIMIT * 2));
    const loaded = loadProjectInstructions(temp(), repo);
    expect(Buffer.byteLength(loaded.text)).toBeLessThanOrEqual(AGENTS_MD_LIMIT);
    expect(loaded.truncated).toBe(true);
  });
});
