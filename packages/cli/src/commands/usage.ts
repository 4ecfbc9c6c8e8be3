import { setTimeout as sleep } from "node:timers/promises";
import {
  formatWait,
  type ProfileUsageView,
  type UsageReportView,
  type UsageWindowView,
} from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { connectClient } from "../composition/connect.js";
import type { GlobalOptions } from "../context.js";
import { paint } from "../terminal.js";

/**
 * `hedge usage [--watch] [--json]`: per profile, its provider, the share left of each rate-limit
 * window as a bar with the reset countdown, a cooldown in force and the last switch (from the
 * shared state, like Codex's `/status`; from the gateway `--gateway` names, its profiles).
 * `--watch` redraws every `--interval` seconds until interrupted.
 */
export async function runUsage(
  globals: GlobalOptions,
  options: { json: boolean; watch: boolean; intervalSeconds: number; gateway?: string },
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const { client } = await connectClient(loaded.config, home, options.gateway);
  try {
    const render = async (): Promise<string> => {
      const view = await client.usage();
      return options.json ? `${JSON.stringify(view, null, 2)}\n` : formatReport(view, Date.now());
    };
    if (!options.watch) {
      process.stdout.write(await render());
      return;
    }
    await watch(render, options.intervalSeconds, options.json);
  } finally {
    await client.close();
  }
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
      await sleep(Math.max(0.2, intervalSeconds) * 1000, undefined, { signal: stop.signal }).catch(
        () => undefined,
      );
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function formatReport(view: UsageReportView, now: number): string {
  if (view.profiles.length === 0)
    return "no profiles; log in with 'hedge auth login --provider PROVIDER'\n";
  const lines: string[] = [];
  for (const entry of view.profiles) {
    lines.push(
      `${paint.bold(entry.profile)}  ${entry.provider} (${entry.kind})${entry.windows.length ? `  ${pct(entry.left)} left` : ""}`,
    );
    if (entry.windows.length === 0) lines.push(paint.dim("  no usage seen yet"));
    for (const window of entry.windows)
      lines.push(`  ${formatWindow(window, now, view.switch_below)}`);
    if (entry.cooldown)
      lines.push(
        paint.red(
          `  cooldown until ${entry.cooldown.until} (${formatWait(Date.parse(entry.cooldown.until) - now)}): ${entry.cooldown.reason}`,
        ),
      );
    if (entry.last_switch) lines.push(paint.dim(`  last ${describeSwitch(entry)}`));
  }
  return `${lines.join("\n")}\n`;
}

/** `switch: 2030-01-01T00:00:00.000Z anthropic work -> spare (5h window under 10%)`. */
function describeSwitch(entry: ProfileUsageView): string {
  const change = entry.last_switch;
  if (!change) return "";
  // A switch moves between members of one provider's pool: this profile's provider.
  return `switch: ${change.at} ${entry.provider} ${change.from} -> ${change.to} (${change.reason})`;
}

const BAR_WIDTH = 20;

/** `5h      [██████████░░░░░░░░░░]  52% left  resets in 2h10m  (headers)`. */
function formatWindow(window: UsageWindowView, now: number, switchBelow: number): string {
  const left = Math.max(0, Math.min(1, window.left));
  const filled = Math.round(left * BAR_WIDTH);
  const bar = `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}]`;
  const colour = left <= 0 ? paint.red : left < switchBelow ? paint.yellow : paint.green;
  const label = window.family === "*" ? window.name : `${window.name} ${window.family}`;
  const counts =
    window.remaining !== undefined && window.limit !== undefined
      ? ` ${window.remaining}/${window.limit}`
      : "";
  const reset =
    window.reset_at === undefined
      ? ""
      : `  resets in ${formatWait(Date.parse(window.reset_at) - now)}`;
  const stale = window.stale ? paint.dim(" (stale)") : "";
  return `${label.padEnd(18)} ${colour(bar)} ${pct(left).padStart(4)} left${counts}${reset}  ${paint.dim(`(${window.source})`)}${stale}`;
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
