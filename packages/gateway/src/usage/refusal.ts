import type { Headroom } from "./snapshot.js";

/** Whether a route's windows refuse a request: `hard` when exhausted or too small for it. */
export function refusalOf(
  headroom: Headroom,
  estimate: number,
  switchBelow: number,
): { reason: string; until?: number; hard: boolean } | undefined {
  if (!headroom.known) return undefined;
  const binding = headroom.binding;
  const until = binding?.resetAt;
  if (binding && headroom.fraction <= 0) {
    return withUntil(`usage: ${binding.name} window exhausted${resetText(until)}`, true, until);
  }
  if (estimate > 0 && headroom.tokensLeft !== undefined && estimate > headroom.tokensLeft) {
    const window = headroom.tokenWindow;
    return withUntil(
      `usage: the request needs ~${Math.round(estimate)} tokens, ${window?.name ?? "tokens"} window has ${headroom.tokensLeft} left${resetText(window?.resetAt)}`,
      true,
      window?.resetAt,
    );
  }
  if (binding && headroom.fraction < switchBelow) {
    return withUntil(
      `usage: ${binding.name} window ${percent(headroom.fraction)} left (below switch_below ${percent(switchBelow)})${resetText(until)}`,
      false,
      until,
    );
  }
  return undefined;
}

export function percent(fraction: number): string {
  const value = fraction * 100;
  const rounded = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded}%`;
}

function withUntil(
  reason: string,
  hard: boolean,
  at: number | undefined,
): { reason: string; until?: number; hard: boolean } {
  return at === undefined ? { reason, hard } : { reason, hard, until: at };
}

function resetText(until: number | undefined): string {
  return until === undefined ? "" : `, resets ${new Date(until).toISOString()}`;
}
