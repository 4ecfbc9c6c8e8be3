import { appendFileSync, chmodSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";

const ROTATE_BYTES = 5 * 1024 * 1024;
const TAIL_CHARS = 4096;

/**
 * A server's stderr: appended to `<dir>/<server>.log` (0600, the previous file kept as `.1`
 * once it passes 5 MiB) and its last 4 KiB kept in memory for the failure reason.
 */
export class ServerLog {
  readonly path: string;
  private tailText = "";
  private failed = false;

  constructor(dir: string, server: string) {
    this.path = join(dir, `${server}.log`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if ((statSync(this.path, { throwIfNoEntry: false })?.size ?? 0) > ROTATE_BYTES)
        renameSync(this.path, `${this.path}.1`);
      appendFileSync(this.path, `[hedge] ${new Date().toISOString()} starting ${server}\n`, {
        mode: 0o600,
      });
      chmodSync(this.path, 0o600);
    } catch {
      // A log that cannot be written costs the log, never the server.
      this.failed = true;
    }
  }

  write(text: string): void {
    this.tailText = (this.tailText + text).slice(-TAIL_CHARS);
    this.note(text);
  }

  /** hedge's own line in the file (not the server's words: kept out of the tail). */
  note(text: string): void {
    if (this.failed) return;
    try {
      appendFileSync(this.path, text);
    } catch {
      this.failed = true;
    }
  }

  /** The last lines the server wrote (for a failure's reason). */
  tail(): string {
    return this.tailText;
  }
}
