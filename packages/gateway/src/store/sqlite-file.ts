import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { HedgeError } from "@hedge/model-spec";
import { oneLineMessage } from "./store-support.js";

/** Opening the SQLite store's file: its mode, WAL, and one-line errors that name it. */

/**
 * Switches the file to WAL. SQLite answers this switch with an immediate SQLITE_BUSY, without
 * calling the busy handler, while another connection is opening or switching the same file (two
 * hedge processes starting at once on a fresh home), so it is retried here until the busy
 * timeout, with a short random pause so the two do not collide again in step.
 */
export async function enableWal(db: BetterSqlite3.Database, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const busy = typeof code === "string" && code.startsWith("SQLITE_BUSY");
      if (!busy || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
}

/** Parent directory 0700 and the file 0600 before SQLite creates it with the umask's mode. */
export function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** Turns SQLite and file-system failures into one-line HedgeErrors that name the file. */
export function describeSqliteError(error: unknown, path: string, busyTimeoutMs: number): unknown {
  if (error instanceof HedgeError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return error;
  const detail = oneLineMessage(error);
  const options = (hint: string) => ({ hint, cause: error });
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new HedgeError(
      "store_corrupt",
      `${path} is not a usable SQLite database (${detail}).`,
      options(
        `Move it aside (mv "${path}" "${path}.broken"); hedge creates a fresh one and gateway state (breakers, cooldowns, usage windows) starts over.`,
      ),
    );
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new HedgeError(
      "store_locked",
      `${path} is locked by another process (waited ${busyTimeoutMs} ms).`,
      options(`Retry; if it persists, find the process holding it with: fuser "${path}"`),
    );
  }
  if (
    code.startsWith("SQLITE_READONLY") ||
    code.startsWith("SQLITE_CANTOPEN") ||
    code === "SQLITE_PERM" ||
    code === "SQLITE_AUTH" ||
    // EEXIST: mkdir met a file where the directory should be.
    ["EACCES", "EPERM", "EROFS", "ENOTDIR", "EISDIR", "EEXIST"].includes(code)
  ) {
    return new HedgeError(
      "store_unwritable",
      `Cannot open ${path} for writing (${detail}).`,
      options(`Make ${dirname(path)} a writable directory of yours, or point HEDGE_HOME at one.`),
    );
  }
  if (code === "SQLITE_FULL" || code === "ENOSPC") {
    return new HedgeError(
      "store_disk_full",
      `No space left to write ${path}.`,
      options("Free disk space, then retry."),
    );
  }
  return error;
}
