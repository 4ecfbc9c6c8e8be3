import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { HedgeError } from "@hedge/model-spec";

/**
 * Opens the inputs database file: its directory 0700 and the file 0600 before SQLite makes it
 * (it holds what the user typed), WAL so several hedge processes share it, and a full sync on
 * every commit (an input acknowledged on screen survives a power cut, not only a crash).
 */
export async function openPrivateDatabase(
  path: string,
  busyTimeoutMs: number,
): Promise<BetterSqlite3.Database> {
  const { default: Database } = await import("better-sqlite3");
  let db: BetterSqlite3.Database | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(path, "wx", 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    db = new Database(path, { timeout: Math.max(0, Math.floor(busyTimeoutMs)) });
    await switchToWal(db, busyTimeoutMs);
    db.pragma("synchronous = FULL");
    return db;
  } catch (error) {
    db?.close();
    throw describeInputsDbError(error, path);
  }
}

/**
 * SQLite answers the switch to WAL with an immediate SQLITE_BUSY (no busy handler) while another
 * connection opens the same new file, so two hedge processes starting together retry it.
 */
async function switchToWal(db: BetterSqlite3.Database, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "string" || !code.startsWith("SQLITE_BUSY") || Date.now() >= deadline)
        throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
}

/** SQLite and file-system failures as one line naming the file, with what to do. */
export function describeInputsDbError(error: unknown, path: string): unknown {
  if (error instanceof HedgeError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return error;
  const detail = error.message.split("\n")[0] ?? code;
  const fail = (name: string, message: string, hint: string) =>
    new HedgeError(name, message, { hint, cause: error });
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))
    return fail(
      "inputs_db_corrupt",
      `${path} is not a usable SQLite database (${detail})`,
      `move it aside (mv "${path}" "${path}.broken"); hedge starts a fresh one`,
    );
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
    return fail(
      "inputs_db_locked",
      `${path} is locked by another process`,
      `retry; if it persists, find the holder with: fuser "${path}"`,
    );
  if (code === "SQLITE_FULL" || code === "ENOSPC")
    return fail("inputs_db_full", `no space left to write ${path}`, "free disk space, then retry");
  if (
    code.startsWith("SQLITE_READONLY") ||
    code.startsWith("SQLITE_CANTOPEN") ||
    code === "SQLITE_PERM" ||
    ["EACCES", "EPERM", "EROFS", "ENOTDIR", "EISDIR", "EEXIST"].includes(code)
  )
    return fail(
      "inputs_db_unwritable",
      `cannot write ${path} (${detail})`,
      `make ${dirname(path)} a writable directory of yours, or point HEDGE_HOME at one`,
    );
  return error;
}
