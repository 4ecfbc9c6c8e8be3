import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMentionIndex, rankPaths } from "./mention-index.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repo(files: Record<string, string>, git = true): string {
  const dir = mkdtempSync(join(tmpdir(), "hedge-mention-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  if (git) {
    execFileSync("git", ["init", "-q"], { cwd: dir });
    execFileSync("git", ["add", "src"], { cwd: dir });
  }
  return dir;
}

describe("@ file completion", () => {
  it("lists tracked and untracked files of the repository, never ignored ones", async () => {
    const dir = repo({
      ".gitignore": "dist/\n*.log\n",
      "src/main.ts": "",
      "src/untracked-notes.md": "",
      "dist/main.js": "",
      "debug.log": "",
    });
    const index = createMentionIndex(dir);
    expect(await index.search("main")).toEqual(["src/main.ts"]);
    expect(await index.search("notes")).toEqual(["src/untracked-notes.md"]);
    expect(await index.search("log")).toEqual([]);
  });

  it("outside a repository walks the directory, skipping hidden directories and node_modules", async () => {
    const dir = repo(
      { "a/readme.md": "", ".secret/key.md": "", "node_modules/x/readme.md": "" },
      false,
    );
    expect(await createMentionIndex(dir).search("readme")).toEqual(["a/readme.md"]);
  });

  it("ranks a file-name match above the same letters scattered through a path", () => {
    const paths = ["src/components/approval-prompt.tsx", "src/app.tsx", "packages/a/p/p/x.ts"];
    expect(rankPaths(paths, "app")[0]).toBe("src/app.tsx");
    expect(rankPaths(paths, "zzz")).toEqual([]);
  });
});
