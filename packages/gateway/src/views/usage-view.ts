import type { PoolUsageView, ProfileUsageView, UsageReportView } from "@hedge/model-spec";
import type { Store } from "../store/store.js";
import { usageReport, type ProfileUsage, type ReportProfile } from "../usage/usage-report.js";

/**
 * `hedge usage --json`: per profile, the share left of each rate-limit window with its reset,
 * a cooldown in force and the last switch to or from it, from the shared state.
 */
export async function usageView(
  store: Store,
  profiles: readonly ReportProfile[],
  settings: { switchBelow: number; snapshotTtlMs: number },
  now: number,
): Promise<UsageReportView> {
  const report = await usageReport(store, profiles, {
    now,
    snapshotTtlMs: settings.snapshotTtlMs,
  });
  const profilesView = groupByHeadroom(report.map((entry) => profileView(entry, now)));
  return {
    store: store.kind,
    switch_below: settings.switchBelow,
    pools: poolsOf(profilesView, settings.switchBelow),
    profiles: profilesView,
  };
}

/**
 * Profiles grouped by provider (in the order providers first appear), the most headroom first
 * within each, ties in the given order: a fleet of 64 logins reads from best to worst.
 */
function groupByHeadroom(profiles: ProfileUsageView[]): ProfileUsageView[] {
  const providers = [...new Set(profiles.map((entry) => entry.provider))];
  return providers.flatMap((provider) =>
    profiles
      .map((entry, index) => ({ entry, index }))
      .filter(({ entry }) => entry.provider === provider)
      .sort((a, b) => b.entry.left - a.entry.left || a.index - b.index)
      .map(({ entry }) => entry),
  );
}

function poolsOf(profiles: readonly ProfileUsageView[], switchBelow: number): PoolUsageView[] {
  const pools = new Map<string, PoolUsageView>();
  for (const entry of profiles) {
    let pool = pools.get(entry.provider);
    if (!pool) {
      pool = {
        provider: entry.provider,
        profiles: 0,
        with_room: 0,
        low: 0,
        exhausted: 0,
        cooling_down: 0,
      };
      pools.set(entry.provider, pool);
    }
    pool.profiles += 1;
    if (entry.cooldown) pool.cooling_down += 1;
    else if (entry.left <= 0) pool.exhausted += 1;
    else if (entry.left < switchBelow) pool.low += 1;
    else pool.with_room += 1;
  }
  return [...pools.values()];
}

function profileView(entry: ProfileUsage, now: number): ProfileUsageView {
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

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
