import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { HedgeError } from "@hedge/model-spec";

const INSTALL_HINT =
  "install bubblewrap: apt-get install bubblewrap (Debian/Ubuntu; `dnf install bubblewrap` on Fedora)";

/** A sandboxed mode was asked for but cannot be provided. Commands never fall back to running unsandboxed. */
export class SandboxUnavailableError extends HedgeError {
  override name = "SandboxUnavailableError";
  /** What bubblewrap said when it was found but could not create a sandbox (its first line). */
  readonly detail: string | undefined;
  constructor(message: string, hint: string, detail?: string) {
    super("sandbox_unavailable", message, { hint });
    this.detail = detail;
  }
}

/**
 * The bubblewrap executable: `explicitPath` when given (it must exist), else `bwrap` on PATH.
 * Throws {@link SandboxUnavailableError} naming the package to install.
 */
export function findBwrap(explicitPath?: string, searchPath = process.env["PATH"] ?? ""): string {
  if (process.platform !== "linux") {
    throw new SandboxUnavailableError(
      `the sandbox needs Linux bubblewrap; ${process.platform} is not supported yet`,
      "run with --sandbox danger-full-access only if you trust the task",
    );
  }
  if (explicitPath !== undefined) {
    if (isExecutableFile(explicitPath)) return explicitPath;
    throw new SandboxUnavailableError(
      `bubblewrap not found at ${explicitPath}: the sandbox cannot run, so the command was not run; ${INSTALL_HINT}`,
      INSTALL_HINT,
    );
  }
  for (const directory of searchPath.split(delimiter)) {
    if (directory === "" || !isAbsolute(directory)) continue;
    const candidate = join(directory, "bwrap");
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new SandboxUnavailableError(
    `bubblewrap (bwrap) is not installed: the sandbox cannot run, so the command was not run; ${INSTALL_HINT}`,
    INSTALL_HINT,
  );
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const probes = new Map<string, Promise<void>>();

/**
 * Checks once per executable that bubblewrap can create the namespaces the sandbox uses (it
 * cannot in some containers, or where unprivileged user namespaces are disabled).
 */
export function ensureBwrapWorks(bwrapPath: string): Promise<void> {
  let probe = probes.get(bwrapPath);
  if (probe === undefined) {
    probe = runProbe(bwrapPath);
    probes.set(bwrapPath, probe);
    // A failed probe is not cached: the user may fix the system and retry in the same session.
    probe.catch(() => probes.delete(bwrapPath));
  }
  return probe;
}

function runProbe(bwrapPath: string): Promise<void> {
  const args = [
    "--ro-bind", "/", "/",
    "--dev", "/dev",
    "--proc", "/proc",
    "--unshare-net",
    "--unshare-pid",
    "--die-with-parent",
    "--new-session",
    "--", "true",
  ]; // prettier-ignore
  return new Promise((resolve, reject) => {
    const child = spawn(bwrapPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => reject(unusable(bwrapPath, error.message)));
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(unusable(bwrapPath, stderr.trim() || `exit code ${String(code)}`));
    });
  });
}

function unusable(bwrapPath: string, detail: string): SandboxUnavailableError {
  return new SandboxUnavailableError(
    `bubblewrap (${bwrapPath}) cannot create a sandbox here: ${detail}; the command was not run`,
    "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or in a container run it with the needed privileges)",
    detail.split("\n")[0]?.trim() || "unknown reason",
  );
}
