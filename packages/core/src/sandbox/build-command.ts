import { existsSync, realpathSync } from "node:fs";
import { isAbsolute, relative, sep } from "node:path";
import type { SandboxMode } from "../tools/tool.js";
import { findBwrap } from "./bwrap.js";
import {
  planProtectedPaths,
  protectedPathArgs,
  type ProtectedPathPlan,
} from "./protected-paths.js";
import { readMaskArgs } from "./read-masks.js";

export interface SandboxOptions {
  mode: SandboxMode;
  /** Absolute workspace root: writable in `workspace-write`. */
  workspace: string;
  /** Extra absolute roots writable like the workspace (`--add-dir`). */
  writableRoots: readonly string[];
  /** Allow network access from inside the sandbox. */
  network: boolean;
  /** Absolute working directory of the command. */
  cwd: string;
  /** Explicit bubblewrap executable instead of `bwrap` on PATH. */
  bwrapPath?: string;
  /** `$TMPDIR` to keep writable in `workspace-write` (defaults to the environment's). */
  tmpdir?: string;
  /**
   * A host directory the command sees as its `/tmp` in `workspace-write`, instead of the shared
   * one: commands of different agents (parallel eval attempts) cannot pass notes through `/tmp`.
   */
  privateTmp?: string;
  /** Paths the command must not see (`$HEDGE_HOME`, `~/.ssh`, ...): masked in every sandboxed mode. */
  denyRead?: readonly string[];
  /** Directories whose chain up to their writable root is protected too (default: `cwd`). */
  protectFrom?: readonly string[];
  /**
   * The `.git`/`.hedge` protection, with its placeholders held ({@link prepareSandboxedCommand}
   * in `prepare-command.ts` does both). Without it the plan is made here, and bubblewrap refuses
   * to start while a placeholder is missing: never a command without the protection.
   */
  protection?: ProtectedPathPlan;
}

/** The process to spawn for a sandboxed command. */
export interface SandboxedCommand {
  command: string;
  args: string[];
}

/**
 * Wraps `argv` in bubblewrap according to `mode`:
 *
 * - `read-only`: the whole filesystem read-only, a private empty tmpfs on `/tmp` (the only
 *   writable place; gone when the command ends), the workspace visible read-only even when it
 *   lives under `/tmp`.
 * - `workspace-write`: read-only root, then writable binds of the real `/tmp`, `$TMPDIR`, the
 *   workspace and every writable root (like Codex); `.git` and `.hedge` in them, and between the
 *   working directory and its root, are read-only whether they exist or not (see
 *   `protected-paths.ts`).
 * - `danger-full-access`: no sandbox; `argv` is returned as is.
 *
 * Every sandboxed command gets its own PID namespace (killing bubblewrap kills everything the
 * command started), a new session (no access to the controlling terminal) and, unless `network`,
 * its own network namespace with nothing but a down loopback.
 *
 * Throws `SandboxUnavailableError` when bubblewrap is missing; never falls back to running
 * unsandboxed.
 */
export function buildSandboxedCommand(
  argv: readonly string[],
  options: SandboxOptions,
): SandboxedCommand {
  const [program, ...rest] = argv;
  if (program === undefined) throw new Error("buildSandboxedCommand: empty argv");
  if (options.mode === "danger-full-access") return { command: program, args: rest };

  const bwrap = findBwrap(options.bwrapPath);
  const args = ["--new-session", "--die-with-parent", "--unshare-pid"];
  if (!options.network) args.push("--unshare-net");
  args.push("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc");

  const workspace = canonical(options.workspace);
  const roots = options.writableRoots.map(canonical).filter((root) => existsSync(root));
  if (options.mode === "read-only") {
    args.push("--tmpfs", "/tmp");
    // The tmpfs hides anything under /tmp; show the workspace and roots again, read-only.
    for (const path of unique([workspace, ...roots, canonical(options.cwd)])) {
      if (isUnder(path, "/tmp") && existsSync(path)) args.push("--ro-bind", path, path);
    }
  } else {
    const writable = writableBinds(options);
    // First, so a workspace or root under /tmp is bound again on top of it.
    if (options.privateTmp !== undefined)
      args.push("--bind", canonical(options.privateTmp), "/tmp");
    for (const path of writable.writable) args.push("--bind", path, path);
    // .git and .hedge stay read-only and cannot be created (protected-paths.ts).
    args.push(...protectedPathArgs(options.protection ?? planProtectedPaths(writable)));
  }
  // Last: the masks hide denied paths even inside the binds above.
  args.push(...readMaskArgs(options.denyRead ?? []));
  args.push("--chdir", options.cwd, "--", program, ...rest);
  return { command: bwrap, args };
}

/**
 * What `workspace-write` binds writable (the real /tmp, `$TMPDIR`, the workspace and every
 * writable root, canonical and existing), and where `.git`/`.hedge` are protected.
 */
export function writableBinds(options: SandboxOptions): {
  roots: string[];
  writable: string[];
  from: string[];
} {
  const roots = unique([options.workspace, ...options.writableRoots].map(canonical)).filter(
    (root) => existsSync(root),
  );
  const tmpdir = options.tmpdir ?? process.env["TMPDIR"];
  const temporary =
    options.privateTmp !== undefined
      ? []
      : ["/tmp", ...(tmpdir !== undefined && isAbsolute(tmpdir) ? [tmpdir] : [])];
  const writable = unique([...temporary.map(canonical), ...roots]).filter((path) =>
    existsSync(path),
  );
  return { roots, writable, from: [...(options.protectFrom ?? []), options.cwd] };
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isUnder(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}
