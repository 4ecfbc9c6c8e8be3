import type { ProfileUsage } from "../../usage/usage-report.js";
import type { ProfileSwitch } from "../../usage/switch-log.js";
import type { FleetProfile } from "./dashboard-types.js";

/** Cooldowns of these kinds are marks: the profile's key was refused, not merely limited. */
const MARKS = new Set(["credential", "permission"]);

/**
 * The Fleet panel from the usage report: per profile its windows, state, pin, and which
 * profile of each pool (profiles of one provider) is serving now and which would serve next.
 *
 * The active member is the target of the pool's latest switch (else its first usable profile).
 * The next pick follows the switch rule of `usage/pool-order.ts`: among the other usable members,
 * the most headroom, ties by the order given.
 */
export function fleetOf(
  report: readonly ProfileUsage[],
  switches: readonly ProfileSwitch[],
  options: { pinned: string | undefined; now: number },
): FleetProfile[] {
  const pools = new Map<string, ProfileUsage[]>();
  for (const entry of report) {
    const pool = pools.get(entry.provider) ?? [];
    pool.push(entry);
    pools.set(entry.provider, pool);
  }
  const active = new Set<string>();
  const next = new Set<string>();
  for (const [provider, members] of pools) {
    const usable = members.filter((entry) => !cooling(entry, options.now));
    const latest = [...switches].reverse().find((change) => change.provider === provider);
    const current =
      (options.pinned && members.find((entry) => entry.profile === options.pinned)) ||
      usable.find((entry) => entry.profile === latest?.toProfile) ||
      usable[0];
    if (current) active.add(current.profile);
    const candidates = usable
      .filter((entry) => entry !== current)
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => b.entry.left - a.entry.left || a.index - b.index);
    const pick = candidates[0]?.entry;
    if (pick && !options.pinned) next.add(pick.profile);
  }
  return report.map((entry) => {
    const cooldown =
      entry.cooldown && entry.cooldown.until > options.now
        ? { kind: entry.cooldown.kind, until: entry.cooldown.until, reason: entry.cooldown.reason }
        : undefined;
    const state: FleetProfile["state"] = cooldown
      ? MARKS.has(cooldown.kind)
        ? "invalid"
        : "cooldown"
      : active.has(entry.profile)
        ? "active"
        : "ready";
    return {
      profile: entry.profile,
      provider: entry.provider,
      left: round(entry.left),
      windows: entry.windows.map((window) => ({
        name: window.family === "*" ? window.name : `${window.name} ${window.family}`,
        left: round(1 - window.usedFraction),
        ...(window.resetAt === undefined ? {} : { resetAt: window.resetAt }),
        stale: window.stale,
      })),
      state,
      ...(cooldown ? { cooldown } : {}),
      pinned: options.pinned === entry.profile,
      next: next.has(entry.profile),
    };
  });
}

function cooling(entry: ProfileUsage, now: number): boolean {
  return entry.cooldown !== undefined && entry.cooldown.until > now;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
