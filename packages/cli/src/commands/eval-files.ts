import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  finishedRecords,
  plotSvg,
  readAttemptLines,
  readManifest,
  renderMarkdown,
  runPaths,
  summarize,
  writeAtomic,
  type FinishedRecord,
  type RunManifest,
  type RunReport,
} from "@hedge/evals";
import { UsageError } from "@hedge/model-spec";

/**
 * Where the tasks are: `--tasks-dir`, else `evals/tasks` in the nearest directory above `cwd`
 * that has one, else the one of the hedge checkout this binary runs from.
 */
export function findTasksRoot(flag: string | undefined, cwd = process.cwd()): string {
  if (flag) return resolve(cwd, flag);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "evals", "tasks"))) return join(dir, "evals", "tasks");
    if (dirname(dir) === dir) break;
  }
  const fromBinary = resolve(
    dirname(fileURLToPath(import.meta.url)),
    "..",
    "..",
    "..",
    "evals",
    "tasks",
  );
  if (existsSync(fromBinary)) return fromBinary;
  throw new UsageError("no evals/tasks directory here or above", {
    hint: "run from a hedge checkout, or pass --tasks-dir DIR",
  });
}

/** The hedge checkout's commit and whether it has uncommitted changes (null outside git). */
export function hedgeCommit(repoRoot: string): { commit: string | null; dirty: boolean } {
  try {
    const options = {
      cwd: repoRoot,
      encoding: "utf8" as const,
      stdio: ["ignore", "pipe", "ignore"] as ["ignore", "pipe", "ignore"],
    };
    const commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], options).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], options).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: false };
  }
}

/** Attempts a manifest plans: tasks × arms × tool sets × samples. */
export function plannedCount(manifest: RunManifest): number {
  return (
    manifest.task_ids.length * manifest.arms.length * manifest.toolsets.length * manifest.attempts
  );
}

/** A run's report from its files, and the finished records it counts. */
export function loadRun(
  home: string,
  runId: string,
): { report: RunReport; records: FinishedRecord[]; manifest: RunManifest } {
  const paths = runPaths(home, runId);
  const manifest = readManifest(paths);
  const records = finishedRecords(readAttemptLines(paths.attempts));
  const previous = existsSync(paths.reportJson)
    ? (JSON.parse(readFileSync(paths.reportJson, "utf8")) as Partial<RunReport>)
    : {};
  const planned = plannedCount(manifest);
  const report = summarize({ manifest, records, planned });
  if (!report.complete && typeof previous.stopped_by_budget === "string")
    report.stopped_by_budget = previous.stopped_by_budget;
  return { report, records, manifest };
}

/** Writes report.json, report.md, plot.svg (and plot.png when resvg loads); the notices to print. */
export async function writeReportFiles(home: string, report: RunReport): Promise<string[]> {
  const paths = runPaths(home, report.run);
  writeAtomic(paths.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomic(paths.reportMd, renderMarkdown(report));
  const svg = plotSvg([report]);
  writeAtomic(paths.plotSvg, svg);
  const png = await renderPng(svg);
  if (png) {
    writeFileSync(paths.plotPng, png);
    return [];
  }
  return ["plot.png skipped: @resvg/resvg-js is not installed (plot.svg is written)"];
}

/** PNG via @resvg/resvg-js when it is installed (an optional dependency); undefined otherwise. */
export async function renderPng(svg: string): Promise<Uint8Array | undefined> {
  const name = "@resvg/resvg-js";
  try {
    const module = (await import(name)) as {
      Resvg: new (svg: string, options: object) => { render(): { asPng(): Uint8Array } };
    };
    const resvg = new module.Resvg(svg, {
      font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    });
    return resvg.render().asPng();
  } catch {
    return undefined;
  }
}
