import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temporary directory and the way to remove it. */
export interface TempDir {
  readonly path: string;
  /** Removes the directory and everything in it; safe to call twice. */
  cleanup(): Promise<void>;
}

/** Creates a fresh directory under the OS temp dir. */
export async function makeTempDir(prefix = "hedge-test-"): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    // Retried: a child process that was just stopped may still be closing a file in it.
    cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }),
  };
}

/** A temporary `HEDGE_HOME`, with the environment that points hedge at it. */
export interface TempHome extends TempDir {
  readonly env: { HEDGE_HOME: string };
}

/** Creates an empty `HEDGE_HOME` for one test. */
export async function makeTempHome(): Promise<TempHome> {
  const dir = await makeTempDir("hedge-home-");
  return { ...dir, env: { HEDGE_HOME: dir.path } };
}
