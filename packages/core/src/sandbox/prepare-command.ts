import {
  buildSandboxedCommand,
  writableBinds,
  type SandboxedCommand,
  type SandboxOptions,
} from "./build-command.js";
import { SandboxUnavailableError } from "./bwrap.js";
import { holdPlaceholders, type PlaceholderLease } from "./placeholders.js";
import { planProtectedPaths } from "./protected-paths.js";

/** A command ready to spawn; `release` must run once it has ended (or was never started). */
export interface PreparedCommand extends SandboxedCommand {
  release(): Promise<void>;
}

/**
 * {@link buildSandboxedCommand} with the `.git`/`.hedge` protection in place: in
 * `workspace-write`, the placeholders that block missing names are created first and removed by
 * `release` (unless another running sandbox still needs them), and hedge's placeholder registry
 * is read-only inside the sandbox.
 */
export async function prepareSandboxedCommand(
  argv: readonly string[],
  options: SandboxOptions,
): Promise<PreparedCommand> {
  if (options.mode !== "workspace-write") {
    return { ...buildSandboxedCommand(argv, options), release: () => Promise.resolve() };
  }
  const plan = planProtectedPaths(writableBinds(options));
  let lease: PlaceholderLease;
  try {
    lease = await holdPlaceholders(plan.names);
  } catch (error) {
    if (error instanceof SandboxUnavailableError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new SandboxUnavailableError(
      `cannot protect .git and .hedge for the sandbox (${message}); the command was not run`,
      "check that the temp directory and the workspace are writable",
    );
  }
  // A failed cleanup leaves an empty placeholder directory, never a command without protection.
  const release = (): Promise<void> => lease.release().catch(() => undefined);
  try {
    const protection = {
      ...plan,
      readOnly: [...plan.readOnly, ...(lease.registry === undefined ? [] : [lease.registry])],
      names: lease.held,
    };
    return { ...buildSandboxedCommand(argv, { ...options, protection }), release };
  } catch (error) {
    await release();
    throw error;
  }
}
