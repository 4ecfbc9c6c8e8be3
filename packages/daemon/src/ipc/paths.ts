import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Linux sun_path holds 108 bytes including the NUL (unix(7)). */
const SUN_PATH_MAX = 107;

/** The daemon's socket: in the home when the path fits, else in the runtime dir, by home hash. */
export function socketPath(home: string, env: NodeJS.ProcessEnv = process.env): string {
  const inHome = join(home, "daemon.sock");
  if (Buffer.byteLength(inHome) <= SUN_PATH_MAX) return inHome;
  const hash = createHash("sha256").update(home).digest("hex").slice(0, 12);
  return join(env["XDG_RUNTIME_DIR"] ?? tmpdir(), `hedge-${hash}.sock`);
}

export function lockPath(home: string): string {
  return join(home, "daemon.lock");
}

/** `daemon.json`: pid, socket, webhook port of the running daemon (for status and tests). */
export function infoPath(home: string): string {
  return join(home, "daemon.json");
}
