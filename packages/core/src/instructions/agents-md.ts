import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Project instructions are capped so they never crowd out the conversation. */
export const AGENTS_MD_LIMIT = 32 * 1024;

export interface ProjectInstructions {
  text: string;
  /** Files read, in order. */
  files: string[];
  truncated: boolean;
}

/**
 * `AGENTS.md` from `$HEDGE_HOME`, then from the git root down to the working directory,
 * concatenated in that order (the nearest file last, so it reads as the most specific), capped
 * at 32 KiB.
 */
export function loadProjectInstructions(home: string, cwd: string): ProjectInstructions {
  const files: string[] = [];
  const global = join(home, "AGENTS.md");
  if (isFile(global)) files.push(global);
  const start = resolve(cwd);
  const root = gitRoot(start) ?? start;
  const chain: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === root || dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    const file = join(dir, "AGENTS.md");
    if (isFile(file) && file !== global) files.push(file);
  }
  let text = "";
  let truncated = false;
  for (const file of files) {
    const label = file === global ? "~/.hedge/AGENTS.md" : relative(root, file) || "AGENTS.md";
    const section = `# Instructions from ${label}\n\n${readFileSync(file, "utf8").trim()}\n\n`;
    if (Buffer.byteLength(text + section) > AGENTS_MD_LIMIT) {
      const room = AGENTS_MD_LIMIT - Buffer.byteLength(text);
      text += Buffer.from(section).subarray(0, Math.max(0, room)).toString("utf8");
      truncated = true;
      break;
    }
    text += section;
  }
  return { text: text.trim(), files, truncated };
}

/** The nearest directory at or above `dir` holding a repository's `.git`, if any. */
export function gitRoot(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    if (holdsRepository(current)) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * Whether `dir` holds a `.git` git would use: a gitdir pointer file, or a directory with a
 * `HEAD`. An empty `.git` directory (what the sandbox mounts while a command runs, to stop it
 * from creating one) is neither, for git as for hedge.
 */
export function holdsRepository(dir: string): boolean {
  try {
    const stats = statSync(join(dir, ".git"));
    return stats.isFile() || (stats.isDirectory() && existsSync(join(dir, ".git", "HEAD")));
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
