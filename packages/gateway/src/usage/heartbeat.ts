import { listCooldowns } from "../routing/health.js";
import type { Store } from "../store/store.js";
import { formatWait } from "@hedge/model-spec";
import { readSwitches, type ProfileSwitch } from "./switch-log.js";
import {
  isStale,
  mergeSnapshot,
  snapshotKey,
  SNAPSHOT_KEEP_MS,
  SNAPSHOT_PREFIX,
  trustedWindows,
  type UsageSnapshot,
} from "./snapshot.js";
import { codexSnapshots, type ReportProfile } from "./usage-report.js";

export interface HeartbeatOptions {
  profiles: readonly ReportProfile[];
  snapshotTtlMs: number;
  now?: () => number;
  /** One line per event: an expired snapshot, a cleared cooldown, a switch. */
  log: (line: string) => void;
}

/**
 * The usage heartbeat's housekeeping, one `tick` at a time (`hedge heartbeat` runs it in the
 * foreground; the daemon will host it): expires snapshots older than `usage.snapshot_ttl_s`,
 * clears cooldowns whose reset has come, reads what Codex cli-login profiles recorded of their
 * own limits into the shared state, and logs every profile switch once.
 */
export class Heartbeat {
  private readonly now: () => number;
  private readonly cooldowns = new Map<string, number>();
  private lastSwitch: number | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: HeartbeatOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async tick(): Promise<void> {
    const now = this.now();
    await this.expireSnapshots(now);
    await this.clearCooldowns(now);
    await this.readVendorFiles(now);
    await this.logSwitches();
  }

  private async expireSnapshots(now: number): Promise<void> {
    for (const { key, value } of await this.store.list<UsageSnapshot>(SNAPSHOT_PREFIX)) {
      if (!isStale(value, now, this.options.snapshotTtlMs)) continue;
      const family = value.family === "*" ? "account" : value.family;
      const kept = trustedWindows(value, now, this.options.snapshotTtlMs);
      if (kept.length === Object.keys(value.windows).length) continue;
      if (kept.length === 0) await this.store.delete(key);
      else
        await this.store.set(
          key,
          { ...value, windows: Object.fromEntries(kept.map((window) => [window.name, window])) },
          SNAPSHOT_KEEP_MS,
        );
      this.options.log(
        `expired: ${value.route} (${family}) snapshot from ${formatWait(now - value.updatedAt)} ago${kept.length ? `; kept ${kept.map((window) => window.name).join(", ")} until their reset` : ""}`,
      );
    }
  }

  private async clearCooldowns(now: number): Promise<void> {
    const live = new Set<string>();
    for (const value of await listCooldowns(this.store)) {
      // A route's cooldown, or one of a model (family) on it.
      const route = value.scope === "route" ? value.route : `${value.route} (${value.model ?? ""})`;
      if (value.until <= now) {
        await this.store.delete(value.key);
        continue;
      }
      live.add(route);
      if (!this.cooldowns.has(route))
        this.options.log(
          `cooldown: ${route} until ${new Date(value.until).toISOString()} (${formatWait(value.until - now)}): ${value.reason}`,
        );
      this.cooldowns.set(route, value.until);
    }
    for (const [route, until] of this.cooldowns) {
      if (live.has(route)) continue;
      this.cooldowns.delete(route);
      this.options.log(
        `cleared: ${route} cooldown ended at its reset ${new Date(until).toISOString()}`,
      );
    }
  }

  private async readVendorFiles(now: number): Promise<void> {
    for (const profile of this.options.profiles) {
      if (profile.kind !== "cli-login" || profile.provider !== "codex") continue;
      for (const snapshot of codexSnapshots(profile, now)) {
        if (isStale(snapshot, now, this.options.snapshotTtlMs)) continue;
        await this.store.update<UsageSnapshot>(
          snapshotKey(snapshot.route, snapshot.family),
          (previous) =>
            previous && previous.updatedAt >= snapshot.updatedAt
              ? previous
              : mergeSnapshot(previous, snapshot, now),
          SNAPSHOT_KEEP_MS,
        );
      }
    }
  }

  private async logSwitches(): Promise<void> {
    const switches = await readSwitches(this.store);
    const fresh =
      this.lastSwitch === undefined
        ? switches.slice(-1)
        : switches.filter((change) => change.at > (this.lastSwitch ?? 0));
    for (const change of fresh) this.options.log(describeSwitch(change));
    const newest = switches.at(-1);
    if (newest) this.lastSwitch = Math.max(this.lastSwitch ?? 0, newest.at);
    else this.lastSwitch ??= 0;
  }
}

/** `switch: anthropic work -> spare (usage: tokens window 8% left ...)`, with its time. */
export function describeSwitch(change: ProfileSwitch): string {
  const from = change.fromProfile ?? change.from;
  const to = change.toProfile ?? change.to;
  return `switch: ${new Date(change.at).toISOString()} ${change.provider} ${from} -> ${to} (${change.reason})`;
}
