import { hostname } from "node:os";
import type { Loop, Run } from "@hedge/daemon";

/** `every 15m`, `cron "0 9 * * 1-5" Europe/Berlin`, `at 2026-…`, `on commit to main`. */
export function describeSchedule(loop: Loop): string {
  const s = loop.schedule;
  const parts: string[] = [];
  if (s.kind === "cron") parts.push(`cron "${s.expr}" ${s.tz}`);
  if (s.kind === "every") parts.push(`every ${duration(s.periodMs)}`);
  if (s.kind === "at") parts.push(`at ${new Date(s.atMs).toISOString()}`);
  const t = loop.trigger;
  if (t?.kind === "watch") parts.push(`on change of ${t.glob}`);
  if (t?.kind === "commit") parts.push(`on commit to ${t.branch}`);
  if (t?.kind === "webhook") parts.push("on webhook");
  return parts.length > 0 ? parts.join(", ") : "on demand (hedge loop run, [hooks])";
}

export function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const units: [string, number][] = [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
  ];
  let rest = Math.round(ms / 1000) * 1000;
  let out = "";
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out || "0s";
}

function time(ms: number | null): string {
  return ms === null ? "-" : new Date(ms).toISOString().replace("T", " ").slice(0, 19);
}

/** One table row per run. */
export function runLine(run: Run, loopName: string): string {
  const took =
    run.startedAtMs !== null && run.endedAtMs !== null
      ? duration(run.endedAtMs - run.startedAtMs)
      : "-";
  const detail = [
    run.reason ?? "",
    run.collapsedCount ? `(${run.collapsedCount} slots to ${time(run.collapsedUntilMs)})` : "",
    run.outcome === "no_changes" ? "no changes" : "",
    run.diffFiles
      ? `${run.diffFiles} files +${run.diffInsertions ?? 0} -${run.diffDeletions ?? 0}`
      : "",
    run.inputTokens !== null ? `${run.inputTokens}/${run.outputTokens ?? 0} tok` : "",
    run.costUsd !== null ? `$${run.costUsd.toFixed(4)}` : "",
    run.profileReason !== null ? `profile ${run.profile ?? "-"} (${run.profileReason})` : "",
    run.worktreeKept ? `worktree kept: ${run.worktreePath ?? ""}` : "",
    // A shared (Redis) ledger holds other machines' runs: say where they ran.
    run.host && run.host !== hostname() ? `on ${run.host}` : "",
  ].filter(Boolean);
  return [
    run.id,
    loopName.padEnd(16),
    time(run.scheduledFor),
    run.trigger.padEnd(8),
    run.status.padEnd(11),
    (run.exitCode === null ? "-" : String(run.exitCode)).padStart(4),
    took.padStart(6),
    detail.join(" "),
  ].join("  ");
}
