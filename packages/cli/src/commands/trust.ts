import { existsSync, realpathSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "@hedge/model-spec";
import { hedgeHome } from "../context.js";
import { findProjectConfig, loadConfig } from "../config/load.js";
import {
  currentDigest,
  projectDirOf,
  readTrustFile,
  trustFilePath,
  updateTrustFile,
  type TrustedProject,
} from "../config/trust-store.js";

interface OutputOptions {
  json: boolean;
}

/**
 * `hedge trust [DIR]`: the project's `.hedge/config.toml` (found from DIR up to the git root)
 * applies whole from now on, as long as its content is what it is now.
 */
export async function runTrust(
  dirArgument: string | undefined,
  options: OutputOptions,
): Promise<void> {
  const { home, start, overlay } = locate(dirArgument);
  if (!overlay) {
    throw new UsageError(`no .hedge/config.toml in ${start} or above it (up to the git root)`, {
      hint: "hedge trust applies to a project's .hedge/config.toml: run it in that project, or name its directory",
    });
  }
  // Loading validates the file and says what trusting it adds; the digest recorded is that of
  // the very bytes validated.
  const loaded = loadConfig({ home, cwd: start, overrides: [] });
  const project = loaded.project;
  if (!project) throw new UsageError(`${overlay} could not be read`);
  const applies = project.ignored.map((ignored) => ignored.key);
  await updateTrustFile(home, (trust) => {
    trust.projects[project.dir] = {
      config_sha256: project.sha256,
      trusted_at: new Date().toISOString(),
    };
  });
  if (options.json) {
    const shown = { dir: project.dir, config: project.path, sha256: project.sha256, applies };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `trusted ${project.dir}: ${project.path} applies whole while it is unchanged (a change needs 'hedge trust' again)\n`,
  );
  if (applies.length > 0) process.stdout.write(`now also applies: ${applies.join(", ")}\n`);
}

/** `hedge untrust [DIR]`: the project's overlay is screened again like any untrusted one. */
export async function runUntrust(
  dirArgument: string | undefined,
  options: OutputOptions,
): Promise<void> {
  const { home, start, overlay } = locate(dirArgument);
  // Without an overlay (deleted since), the project is the directory named.
  const dir = overlay ? projectDirOf(overlay) : start;
  const removed = await updateTrustFile(home, (trust) => {
    const had = Object.hasOwn(trust.projects, dir);
    delete trust.projects[dir];
    return had;
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ dir, removed }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    removed
      ? `untrusted ${dir}: its .hedge/config.toml applies only what an untrusted project may set\n`
      : `${dir} was not trusted; nothing changed\n`,
  );
}

/** `hedge trust --list`: every trusted project and whether its overlay is still the one trusted. */
export function runTrustList(options: OutputOptions): void {
  const home = hedgeHome();
  const projects = Object.entries(readTrustFile(home).projects).map(([dir, record]) =>
    describe(dir, record),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ file: trustFilePath(home), projects }, null, 2)}\n`);
    return;
  }
  if (projects.length === 0) {
    process.stdout.write("no trusted projects (hedge trust [DIR] adds one)\n");
    return;
  }
  for (const project of projects) {
    process.stdout.write(
      `${project.status.padEnd(9)} ${project.dir}  (since ${project.trusted_at})\n`,
    );
  }
}

/**
 * `trusted` (the overlay is the one trusted), `changed` (it changed since: not trusted until
 * trusted again) or `missing` (no overlay there any more).
 */
function describe(
  dir: string,
  record: TrustedProject,
): { dir: string; config: string; status: "trusted" | "changed" | "missing"; trusted_at: string } {
  const config = join(dir, ".hedge", "config.toml");
  const digest = currentDigest(config);
  const status =
    digest === undefined ? "missing" : digest === record.config_sha256 ? "trusted" : "changed";
  return { dir, config, status, trusted_at: record.trusted_at };
}

/** HEDGE_HOME, the directory named (default: cwd; symlinks resolved) and the overlay found from it. */
function locate(argument: string | undefined): { home: string; start: string; overlay?: string } {
  const home = hedgeHome();
  const dir = resolve(argument ?? process.cwd());
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${argument ?? dir}: not a directory`);
  }
  const start = realpathSync(dir);
  const overlay = findProjectConfig(start, join(home, "config.toml"));
  return { home, start, ...(overlay ? { overlay } : {}) };
}
