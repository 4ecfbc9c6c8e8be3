import {
  formatWait,
  type PoolUsageView,
  type ProfileUsageView,
  type UsageReportView,
  type UsageWindowView,
} from "@hedge/model-spec";
import { paint } from "../terminal.js";

/** A pool with more members than this lists one line per profile (its tightest window). */
const COMPACT_ABOVE = 8;

/**
 * `hedge usage` for people: profiles grouped by provider, the most headroom first (the view's
 * order), under a line per pool counting members with room, low, exhausted and cooling down.
 * A small pool shows every window of every profile; a large one (a fleet of logins) one line
 * per profile with its tightest window, so 64 profiles fit a screen.
 */
export function formatReport(view: UsageReportView, now: number): string {
  if (view.profiles.length === 0)
    return "no profiles; log in with 'hedge auth login --provider PROVIDER'\n";
  const lines: string[] = [];
  const providers = [...new Set(view.profiles.map((entry) => entry.provider))];
  for (const provider of providers) {
    const members = view.profiles.filter((entry) => entry.provider === provider);
    const pool = view.pools?.find((entry) => entry.provider === provider);
    if (pool && (providers.length > 1 || members.length > 1)) lines.push(poolLine(pool));
    if (members.length > COMPACT_ABOVE) {
      const width = Math.max(...members.map((entry) => entry.profile.length));
      for (const entry of members)
        lines.push(`  ${compactLine(entry, width, now, view.switch_below)}`);
    } else for (const entry of members) detailed(entry, lines, now, view.switch_below);
  }
  return `${lines.join("\n")}\n`;
}

function poolLine(pool: PoolUsageView): string {
  const parts = [`${pool.with_room} with room`];
  if (pool.low) parts.push(paint.yellow(`${pool.low} low`));
  if (pool.exhausted) parts.push(paint.red(`${pool.exhausted} exhausted`));
  if (pool.cooling_down) parts.push(paint.red(`${pool.cooling_down} cooling down`));
  return paint.bold(`${pool.provider}: ${pool.profiles} profiles, `) + parts.join(", ");
}

/** `p07  [████████░░]  80% left  requests 800/1000 resets in 41s  (headers)`. */
function compactLine(
  entry: ProfileUsageView,
  width: number,
  now: number,
  switchBelow: number,
): string {
  const name = entry.profile.padEnd(width);
  if (entry.cooldown)
    return `${name}  ${paint.red(`cooldown ${formatWait(Date.parse(entry.cooldown.until) - now)}`)}: ${entry.cooldown.reason}`;
  const fresh = entry.windows.filter((window) => !window.stale);
  if (fresh.length === 0) return `${name}  ${paint.dim("no usage seen yet")}`;
  const tightest = fresh.reduce((low, window) => (window.left < low.left ? window : low));
  return `${name}  ${formatWindow(tightest, now, switchBelow, 10)}`;
}

function detailed(
  entry: ProfileUsageView,
  lines: string[],
  now: number,
  switchBelow: number,
): void {
  lines.push(
    `${paint.bold(entry.profile)}  ${entry.provider} (${entry.kind})${entry.windows.length ? `  ${pct(entry.left)} left` : ""}`,
  );
  if (entry.windows.length === 0) lines.push(paint.dim("  no usage seen yet"));
  for (const window of entry.windows) lines.push(`  ${formatWindow(window, now, switchBelow)}`);
  if (entry.cooldown)
    lines.push(
      paint.red(
        `  cooldown until ${entry.cooldown.until} (${formatWait(Date.parse(entry.cooldown.until) - now)}): ${entry.cooldown.reason}`,
      ),
    );
  if (entry.last_switch) lines.push(paint.dim(`  last ${describeSwitch(entry)}`));
}

/** `switch: 2030-01-01T00:00:00.000Z anthropic work -> spare (5h window under 10%)`. */
function describeSwitch(entry: ProfileUsageView): string {
  const change = entry.last_switch;
  if (!change) return "";
  // A switch moves between members of one provider's pool: this profile's provider.
  return `switch: ${change.at} ${entry.provider} ${change.from} -> ${change.to} (${change.reason})`;
}

/** `5h      [██████████░░░░░░░░░░]  52% left  resets in 2h10m  (headers)`. */
function formatWindow(
  window: UsageWindowView,
  now: number,
  switchBelow: number,
  barWidth = 20,
): string {
  const left = Math.max(0, Math.min(1, window.left));
  const filled = Math.round(left * barWidth);
  const bar = `[${"█".repeat(filled)}${"░".repeat(barWidth - filled)}]`;
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
