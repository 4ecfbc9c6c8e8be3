import { listCooldowns, type Cooldown } from "../routing/health.js";
import type { Store } from "../store/store.js";
import { readCodexLimits } from "./codex-sessions.js";
import { profileOfRoute } from "./family.js";
import { counterKey, localLimits, localWindow, type ProfileLimits } from "./local-limits.js";
import { readSwitches, type ProfileSwitch } from "./switch-log.js";
import {
  ACCOUNT_FAMILY,
  currentWindow,
  mergeSnapshot,
  trustedWindows,
  SNAPSHOT_PREFIX,
  type UsageSnapshot,
  type UsageWindow,
} from "./snapshot.js";

/** A profile as the report needs it (from the auth package's profile list). */
export interface ReportProfile {
  name: string;
  provider: string;
  kind: "api-key" | "cli-login" | "gateway";
  /** cli-login: the vendor CLI's home. */
  home?: string | undefined;
  limits?: ProfileLimits | undefined;
  priority?: number | undefined;
}

/** One window of a profile as `hedge usage` shows it. */
export interface ReportWindow extends UsageWindow {
  /** `*` for account-wide windows, else the model family. */
  family: string;
  source: UsageSnapshot["source"];
  /** Epoch ms of the numbers. */
  updatedAt: number;
  stale: boolean;
}

/** Everything known of one profile's limits right now. */
export interface ProfileUsage {
  profile: string;
  provider: string;
  kind: ReportProfile["kind"];
  windows: ReportWindow[];
  /** The share left in the tightest fresh window (1 when nothing is known). */
  left: number;
  cooldown: (Cooldown & { route: string }) | undefined;
  lastSwitch: ProfileSwitch | undefined;
}

/**
 * Per profile: every window from the shared snapshots (headers, Codex session files), its local
 * counters against declared limits, a cooldown in force, and the last switch to or from it.
 */
export async function usageReport(
  store: Store,
  profiles: readonly ReportProfile[],
  options: { now: number; snapshotTtlMs: number },
): Promise<ProfileUsage[]> {
  const { now, snapshotTtlMs } = options;
  const snapshots = await store.list<UsageSnapshot>(SNAPSHOT_PREFIX);
  const cooldowns = await listCooldowns(store);
  const switches = await readSwitches(store);
  const report: ProfileUsage[] = [];
  for (const profile of profiles) {
    const windows: ReportWindow[] = [];
    const mine = snapshots
      .map((entry) => entry.value)
      .filter((snapshot) => profileOfRoute(snapshot.route) === profile.name);
    if (profile.kind === "cli-login" && profile.provider === "codex" && profile.home) {
      for (const snapshot of codexSnapshots(profile, now)) {
        const same = mine.findIndex(
          (entry) => entry.route === snapshot.route && entry.family === snapshot.family,
        );
        if (same < 0) mine.push(snapshot);
        else if ((mine[same] as UsageSnapshot).updatedAt < snapshot.updatedAt)
          mine[same] = mergeSnapshot(mine[same], snapshot, now);
      }
    }
    for (const snapshot of mine) {
      const trusted = new Set(trustedWindows(snapshot, now, snapshotTtlMs));
      for (const window of Object.values(snapshot.windows)) {
        windows.push({
          ...currentWindow(window, now),
          family: snapshot.family,
          source: snapshot.source,
          updatedAt: snapshot.updatedAt,
          stale: !trusted.has(window),
        });
      }
    }
    const declared = localLimits(profile.limits);
    if (declared.length) {
      const counts = await store.getMany<number>(
        declared.map((limit) => counterKey(profile.name, limit, now)),
      );
      for (const limit of declared) {
        const used = counts.get(counterKey(profile.name, limit, now)) ?? 0;
        windows.push({
          ...localWindow(limit, used, now),
          family: ACCOUNT_FAMILY,
          source: "local",
          updatedAt: now,
          stale: false,
        });
      }
    }
    const fresh = windows.filter((window) => !window.stale);
    const left = Math.min(1, ...fresh.map((window) => 1 - window.usedFraction));
    const cooldown = cooldowns
      .filter((cooldown) => profileOfRoute(cooldown.route) === profile.name && cooldown.until > now)
      .sort((a, b) => b.until - a.until)[0];
    const lastSwitch = [...switches]
      .reverse()
      .find((change) => change.fromProfile === profile.name || change.toProfile === profile.name);
    report.push({
      profile: profile.name,
      provider: profile.provider,
      kind: profile.kind,
      windows,
      left: Math.max(0, left),
      cooldown,
      lastSwitch,
    });
  }
  return report;
}

/** Snapshots from a Codex cli-login profile's own session files (route `codex:profile:NAME`). */
export function codexSnapshots(profile: ReportProfile, now: number): UsageSnapshot[] {
  if (!profile.home) return [];
  const limits = readCodexLimits(profile.home);
  if (!limits) return [];
  const route = `codex:profile:${profile.name}`;
  const snapshots: UsageSnapshot[] = [];
  for (const [family, windows] of limits.families) {
    const exhausted = limits.limitReached;
    const all = [...windows];
    if (exhausted && (exhausted.resetAt === undefined || exhausted.resetAt > now)) {
      all.push({
        name: "usage limit",
        unit: "usage",
        usedFraction: 1,
        ...(exhausted.resetAt === undefined ? {} : { resetAt: exhausted.resetAt }),
      });
    }
    snapshots.push({
      route,
      family,
      source: "codex-session",
      windows: Object.fromEntries(all.map((window) => [window.name, window])),
      updatedAt: limits.capturedAt,
    });
  }
  return snapshots;
}
