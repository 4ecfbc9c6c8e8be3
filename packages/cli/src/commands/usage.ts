import { listProfiles } from "@hedge/auth";
import { formatWait } from "@hedge/model-spec";
import {
  describeSwitch,
  sleepUnlessAborted,
  usageReport,
  type ProfileUsage,
  type ReportProfile,
  type ReportWindow,
} from "@hedge/gateway";
import { commandContext, withStore } from "../command-context.js";
import type { HedgeConfig } from "../config/schema.js";
import type { GlobalOptions } from "../context.js";
import { paint } from "../terminal.js";

/** Profiles with their `[profiles.NAME]` settings, as the usage report needs them. */
export function reportProfiles(config: HedgeConfig, home: string): ReportProfile[] {
  return listProfiles(home).map((profile) => ({
    name: profile.name,
    provider: profile.provider,
    kind: profile.kind,
    home: profile.home,
    limits: config.profiles[profile.name]?.limits,
    priority: config.profiles[profile.name]?.priority,
  }));
}

/**
 * `hedge usage [--watch] [--json]`: per profile, its provider, the share left of each rate-limit
 * window as a bar with the reset countdown, a cooldown in force and the last switch (from the
 * shared state, like Codex's `/status`). `--watch` redraws every `--interval` seconds until
 * interrupted.
 */
export async function runUsage(
  globals: GlobalOptions,
  options: { json: boolean; watch: boolean; intervalSeconds: number },
): Promise<void> {
  const context = commandContext(globals);
  const { config } = context.loaded;
  await withStore(context, async (store) => {
    const render = async (): Promise<string> => {
      const now = Date.now();
      const report = await usageReport(store, reportProfiles(config, context.home), {
        now,
        snapshotTtlMs: config.usage.snapshot_ttl_s * 1000,
      });
      return options.json
        ? `${JSON.stringify({ store: store.kind, switch_below: config.usage.switch_below, profiles: report.map((entry) => toJson(entry, now)) }, null, 2)}\n`
        : formatReport(report, now, config.usage.switch_below);
    };
    if (!options.watch) {
      process.stdout.write(await render());
      return;
    }
    await watch(render, options.intervalSeconds, options.json);
  });
}

async function watch(
  render: () => Promise<string>,
  intervalSeconds: number,
  json: boolean,
): Promise<void> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    while (!stop.signal.aborted) {
      const text = await render();
      // A terminal is redrawn in place; a pipe gets one report after another.
      process.stdout.write(json || !process.stdout.isTTY ? text : `\u001b[H\u001b[2J${text}`);
      await sleepUnlessAborted(Math.max(0.2, intervalSeconds) * 1000, stop.signal);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function toJson(entry: ProfileUsage, now: number): Record<string, unknown> {
  return {
    profile: entry.profile,
    provider: entry.provider,
    kind: entry.kind,
    left: round(entry.left),
    windows: entry.windows.map((window) => ({
      name: window.name,
      family: window.family,
      source: window.source,
      unit: window.unit,
      left: round(1 - window.usedFraction),
      ...(window.limit === undefined ? {} : { limit: window.limit }),
      ...(window.remaining === undefined ? {} : { remaining: window.remaining }),
      ...(window.resetAt === undefined
        ? {}
        : {
            reset_at: new Date(window.resetAt).toISOString(),
            reset_in_s: Math.max(0, Math.round((window.resetAt - now) / 1000)),
          }),
      updated_at: new Date(window.updatedAt).toISOString(),
      stale: window.stale,
    })),
    cooldown: entry.cooldown
      ? {
          route: entry.cooldown.route,
          kind: entry.cooldown.kind,
          until: new Date(entry.cooldown.until).toISOString(),
          reason: entry.cooldown.reason,
        }
      : null,
    last_switch: entry.lastSwitch
      ? {
          at: new Date(entry.lastSwitch.at).toISOString(),
          from: entry.lastSwitch.fromProfile ?? entry.lastSwitch.from,
          to: entry.lastSwitch.toProfile ?? entry.lastSwitch.to,
          reason: entry.lastSwitch.reason,
        }
      : null,
  };
}

function formatReport(report: readonly ProfileUsage[], now: number, switchBelow: number): string {
  if (report.length === 0)
    return "no profiles; log in with 'hedge auth login --provider PROVIDER'\n";
  const lines: string[] = [];
  for (const entry of report) {
    lines.push(
      `${paint.bold(entry.profile)}  ${entry.provider} (${entry.kind})${entry.windows.length ? `  ${pct(entry.left)} left` : ""}`,
    );
    if (entry.windows.length === 0) lines.push(paint.dim("  no usage seen yet"));
    for (const window of entry.windows) lines.push(`  ${formatWindow(window, now, switchBelow)}`);
    if (entry.cooldown)
      lines.push(
        paint.red(
          `  cooldown until ${new Date(entry.cooldown.until).toISOString()} (${formatWait(entry.cooldown.until - now)}): ${entry.cooldown.reason}`,
        ),
      );
    if (entry.lastSwitch) lines.push(paint.dim(`  last ${describeSwitch(entry.lastSwitch)}`));
  }
  return `${lines.join("\n")}\n`;
}

const BAR_WIDTH = 20;

/** `5h      [██████████░░░░░░░░░░]  52% left  resets in 2h10m  (headers)`. */
function formatWindow(window: ReportWindow, now: number, switchBelow: number): string {
  const left = Math.max(0, Math.min(1, 1 - window.usedFraction));
  const filled = Math.round(left * BAR_WIDTH);
  const bar = `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
  const colour = left <= 0 ? paint.red : left < switchBelow ? paint.yellow : paint.green;
  const label = window.family === "*" ? window.name : `${window.name} ${window.family}`;
  const counts =
    window.remaining !== undefined && window.limit !== undefined
      ? ` ${window.remaining}/${window.limit}`
      : "";
  const reset =
    window.resetAt === undefined ? "" : `  resets in ${formatWait(window.resetAt - now)}`;
  const stale = window.stale ? paint.dim(" (stale)") : "";
  return `${label.padEnd(18)} ${colour(bar)} ${pct(left).padStart(4)} left${counts}${reset}  ${paint.dim(`(${window.source})`)}${stale}`;
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
