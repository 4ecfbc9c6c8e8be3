import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "@hedge/model-spec";
import { z } from "zod";

/** What a run was asked to do, written before its first attempt; a resume reads it back. */
export const manifestSchema = z.object({
  v: z.literal(1),
  run: z.string(),
  created: z.string(),
  tasks_glob: z.string(),
  task_ids: z.array(z.string()),
  task_set_hash: z.string(),
  /** One arm per executor model (and the other roles it runs with). */
  arms: z.array(
    z.object({
      executor: z.string(),
      orchestrator: z.string().nullable(),
      qa: z.string().nullable(),
    }),
  ),
  toolsets: z.array(z.string()),
  attempts: z.number().int().min(1),
  /** 2: the failed tests' output is given back once and the task scored again. */
  tries: z.number().int().min(1).max(2),
  budget_usd: z.number().nullable(),
  parallel: z.number().int().min(1),
  hedge_commit: z.string().nullable(),
  dirty: z.boolean(),
  hedge_version: z.string(),
  /** The provider served a harness test (the scripted CI model): rates measure hedge, not a model. */
  scripted: z.boolean(),
});
/** A run's manifest. */
export type RunManifest = z.infer<typeof manifestSchema>;

/** Where a run's files live: `$HEDGE_HOME/evals/runs/<runId>/`. */
export interface RunPaths {
  dir: string;
  manifest: string;
  attempts: string;
  logs: string;
  reportJson: string;
  reportMd: string;
  plotSvg: string;
  plotPng: string;
}

export function runsRoot(home: string): string {
  return join(home, "evals", "runs");
}

export function runPaths(home: string, runId: string): RunPaths {
  if (!/^ev_[0-9a-z_]+$/.test(runId))
    throw new UsageError(`"${runId}" is not a run id`, {
      hint: "run ids look like ev_20261207_1a2b3c; see hedge eval list",
    });
  const dir = join(runsRoot(home), runId);
  return {
    dir,
    manifest: join(dir, "manifest.json"),
    attempts: join(dir, "attempts.jsonl"),
    logs: join(dir, "logs"),
    reportJson: join(dir, "report.json"),
    reportMd: join(dir, "report.md"),
    plotSvg: join(dir, "plot.svg"),
    plotPng: join(dir, "plot.png"),
  };
}

export function writeManifest(paths: RunPaths, manifest: RunManifest): void {
  mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  writeAtomic(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
}

export function readManifest(paths: RunPaths): RunManifest {
  if (!existsSync(paths.manifest)) {
    throw new UsageError(`no eval run at ${paths.dir}`, {
      hint: "see the runs with: hedge eval list",
    });
  }
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(paths.manifest, "utf8")));
  if (!parsed.success)
    throw new UsageError(`${paths.manifest}: not a manifest this hedge can read`);
  return parsed.data;
}

/** Writes through a temp file and a rename: a failed write leaves the old file intact. */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, path);
}
