import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** A session as `/resume` lists it. */
export interface SessionSummary {
  id: string;
  /** Epoch ms of its last write. */
  updatedAt: number;
  /** Its first prompt, one line (empty when it has none yet). */
  title: string;
  /** The directory it ran in. */
  cwd: string;
  /** Its file. */
  path: string;
}

/**
 * The `limit` most recently written sessions under `$HEDGE_HOME/sessions`, newest first; with
 * `cwd`, only those that ran there.
 */
export function recentSessions(home: string, limit = 10, cwd?: string): SessionSummary[] {
  const root = join(home, "sessions");
  const files: { path: string; mtime: number }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".jsonl")) files.push({ path, mtime: statSync(path).mtimeMs });
    }
  };
  if (existsSync(root)) walk(root);
  files.sort((a, b) => b.mtime - a.mtime);
  const found: SessionSummary[] = [];
  for (const { path, mtime } of files) {
    if (found.length >= limit) break;
    const summary = summarize(path);
    if (summary && (cwd === undefined || summary.cwd === cwd))
      found.push({ ...summary, path, updatedAt: mtime });
  }
  return found;
}

function summarize(path: string): Omit<SessionSummary, "updatedAt" | "path"> | undefined {
  let id: string | undefined;
  let cwd = "";
  let title = "";
  // The meta line and the first prompt are near the top: read a bounded head only.
  const head = readFileSync(path, "utf8").slice(0, 64 * 1024);
  for (const line of head.split("\n")) {
    let record: {
      type?: unknown;
      id?: unknown;
      cwd?: unknown;
      message?: { role?: unknown; content?: unknown };
    };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      continue;
    }
    if (record.type === "session_meta" && typeof record.id === "string") {
      id = record.id;
      cwd = typeof record.cwd === "string" ? record.cwd : "";
    }
    if (record.type === "message" && record.message?.role === "user" && !title) {
      const content = record.message.content;
      const text = Array.isArray(content)
        ? content
            .map((part: { text?: unknown }) => (typeof part.text === "string" ? part.text : ""))
            .join(" ")
        : typeof content === "string"
          ? content
          : "";
      title = text.replace(/\s+/g, " ").trim().slice(0, 60);
    }
    if (id && title) break;
  }
  return id ? { id, title, cwd } : undefined;
}
