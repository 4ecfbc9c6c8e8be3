import { listBreakers, listCooldowns } from "../../routing/route-state.js";
import type { AuditEntry, Store } from "../../store/store.js";
import type { Rollup } from "../../stats/rollup.js";
import { readSwitches } from "../../usage/switch-log.js";
import { usageReport } from "../../usage/usage-report.js";
import { redactView } from "../../views/redact-view.js";
import type { StateSources } from "../../views/state-sources.js";
import type {
  DashboardBatch,
  DashboardSnapshot,
  Decision,
  FleetProfile,
  LoopsView,
  RouteRow,
} from "./dashboard-types.js";
import { fleetOf } from "./fleet-state.js";
import type { DashboardLoopsSource } from "./loops-source.js";
import { SPEND_DAYS, SpendTally, spendDayKeys } from "./spend-state.js";
import { ROUTES_WINDOW_MS, decisionOf, routesOf } from "./traffic-state.js";

/** Decisions kept for a new page. */
export const KEPT_DECISIONS = 200;
/** Audit entries are re-read this far behind the cursor: another process flushes late. */
const OVERLAP_MS = 30_000;
const DEFAULT_USAGE = { switchBelow: 0.1, snapshotTtlMs: 600_000 };

/** What the hub reads, and how often. */
export interface DashboardHubOptions {
  sources: StateSources & { store: Store };
  /** The profile the server is pinned to, if any. */
  pinned?: string;
  loops?: DashboardLoopsSource;
  /** How often the Store is read while someone watches (default 500 ms). */
  pollMs?: number;
  /** How often the loops source is read (default 2 s). */
  loopsPollMs?: number;
  /** The audit log's entry cap, shown next to spend (default 10,000). */
  auditCap?: number;
}

type Listener = (batch: DashboardBatch) => void;

/**
 * One reader of the shared Store per server, whatever the number of open pages: while anyone
 * subscribes it reads breakers, cooldowns, usage, the switch log and new audit entries every
 * `pollMs`, diffs them against what it last saw and hands each subscriber the changes. The
 * Store is shared with other processes (`hedge exec`, other replicas), so reading it (rather
 * than this engine's events) is what shows their traffic too.
 */
export class DashboardHub {
  private readonly listeners = new Set<Listener>();
  private readonly spend: SpendTally;
  private readonly seen = new Map<string, number>();
  private recent: AuditEntry[] = [];
  private decisions: Decision[] = [];
  private fleet = new Map<string, { row: FleetProfile; json: string }>();
  private routes = new Map<string, { row: RouteRow; json: string }>();
  private spendJson = "";
  private rollups: ReadonlyMap<string, Rollup> = new Map();
  private loops: LoopsView = { running: false, loops: [] };
  private loopsJson = JSON.stringify(this.loops);
  private loopsReadAt = 0;
  private cursor: number | undefined;
  private refreshing: Promise<DashboardBatch> | undefined;
  private refreshedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DashboardHubOptions) {
    this.spend = new SpendTally(options.auditCap ?? 10_000);
  }

  /** Everything as of now (read afresh unless a poll just did). */
  async snapshot(): Promise<DashboardSnapshot> {
    if (this.now() - this.refreshedAt >= this.pollMs()) await this.refresh();
    return this.redactView({
      server: {
        store: this.options.sources.store.kind,
        now: this.now(),
        canReset: false,
        switchBelow: (this.options.sources.usage ?? DEFAULT_USAGE).switchBelow,
      },
      fleet: [...this.fleet.values()].map((entry) => entry.row),
      routes: [...this.routes.values()].map((entry) => entry.row),
      decisions: this.decisions,
      spend: this.spend.view(this.now(), this.rollups),
      loops: this.loops,
    });
  }

  /** Starts polling with the first subscriber; stops with the last. Returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.timer) this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Reads the Store now and publishes what changed (after a reset, say). */
  async poke(): Promise<void> {
    this.publish(await this.refresh());
  }

  /** Stops polling (server close). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.refresh()
        .then((batch) => this.publish(batch))
        .catch(() => undefined)
        .finally(() => {
          if (this.listeners.size > 0) this.schedule();
        });
    }, this.pollMs());
    this.timer.unref();
  }

  private publish(batch: DashboardBatch): void {
    if (Object.keys(batch).length <= 1) return;
    const clean = this.redactView(batch);
    for (const listener of this.listeners) listener(clean);
  }

  /** One read of everything; concurrent callers share it. */
  private refresh(): Promise<DashboardBatch> {
    this.refreshing ??= this.read().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async read(): Promise<DashboardBatch> {
    const { sources } = this.options;
    const store = sources.store;
    const now = this.now();
    const batch: DashboardBatch = { now };

    // The days' rollups (written with the audit log) hold spend beyond the log's cap.
    this.rollups = await store.getMany<Rollup>(spendDayKeys(now));
    const fresh = await this.newEntries(store, now);
    for (const entry of fresh) this.spend.add(entry);
    this.recent = this.recent.filter((entry) => entry.at >= now - ROUTES_WINDOW_MS);
    this.recent.push(...fresh.filter((entry) => entry.at >= now - ROUTES_WINDOW_MS));
    if (fresh.length > 0) {
      const added = fresh
        .sort((a, b) => b.at - a.at)
        .slice(0, KEPT_DECISIONS)
        .map(decisionOf);
      this.decisions = [...added, ...this.decisions]
        .sort((a, b) => b.at - a.at)
        .slice(0, KEPT_DECISIONS);
      batch.decisions = added;
    }

    const [report, switches, breakers, cooldowns] = await Promise.all([
      usageReport(store, sources.profiles?.() ?? [], {
        now,
        snapshotTtlMs: (sources.usage ?? DEFAULT_USAGE).snapshotTtlMs,
      }),
      readSwitches(store),
      listBreakers(store),
      listCooldowns(store),
    ]);
    const fleet = fleetOf(report, switches, { pinned: this.options.pinned, now });
    const fleetDiff = diff(this.fleet, fleet, (row) => row.profile);
    if (fleetDiff.changed.length) batch.fleet = fleetDiff.changed;
    if (fleetDiff.removed.length) batch.removedProfiles = fleetDiff.removed;

    const routes = routesOf(breakers, cooldowns, this.recent, {
      breakerCooldownMs: sources.breakerCooldownMs,
      now,
    });
    const routesDiff = diff(this.routes, routes, (row) => row.route);
    if (routesDiff.changed.length) batch.routes = routesDiff.changed;
    if (routesDiff.removed.length) batch.removedRoutes = routesDiff.removed;

    const spend = this.spend.view(now, this.rollups);
    const spendJson = JSON.stringify(spend);
    if (spendJson !== this.spendJson) {
      this.spendJson = spendJson;
      batch.spend = spend;
    }

    const loopsSource = this.options.loops;
    if (loopsSource && now - this.loopsReadAt >= (this.options.loopsPollMs ?? 2000)) {
      this.loopsReadAt = now;
      this.loops = (await loopsSource.read().catch(() => undefined)) ?? {
        running: false,
        loops: [],
      };
      const loopsJson = JSON.stringify(this.loops);
      if (loopsJson !== this.loopsJson) {
        this.loopsJson = loopsJson;
        batch.loops = this.loops;
      }
    }
    this.refreshedAt = now;
    return batch;
  }

  /**
   * Audit entries not seen before: since the cursor, and the first time the routes' window (when
   * the Store has day rollups, which give spend) or else 7 days' worth.
   */
  private async newEntries(store: Store, now: number): Promise<AuditEntry[]> {
    const first = this.rollups.size > 0 ? now - ROUTES_WINDOW_MS : startOfWindow(now);
    const since = this.cursor === undefined ? first : Math.max(0, this.cursor - OVERLAP_MS);
    const entries = await store.listAudit({ since });
    const fresh: AuditEntry[] = [];
    for (const entry of entries) {
      if (this.seen.has(entry.requestId)) continue;
      this.seen.set(entry.requestId, entry.at);
      fresh.push(entry);
    }
    const newest = entries.reduce((max, entry) => Math.max(max, entry.at), this.cursor ?? 0);
    this.cursor = Math.max(newest, now - OVERLAP_MS);
    // Request ids older than the overlap are never re-read: forget them.
    for (const [id, at] of this.seen) if (at < this.cursor - 2 * OVERLAP_MS) this.seen.delete(id);
    return fresh;
  }

  /** Any answer, scrubbed of the keys the routes hold and of key-shaped words. */
  redactView<T>(view: T): T {
    return redactView(view, this.options.sources.secrets?.() ?? []);
  }

  private now(): number {
    return (this.options.sources.now ?? Date.now)();
  }

  private pollMs(): number {
    return this.options.pollMs ?? 500;
  }
}

/** Rows whose JSON changed (or are new), and keys no longer there; `known` is updated. */
function diff<T>(
  known: Map<string, { row: T; json: string }>,
  rows: readonly T[],
  keyOf: (row: T) => string,
): { changed: T[]; removed: string[] } {
  const changed: T[] = [];
  const present = new Set<string>();
  for (const row of rows) {
    const key = keyOf(row);
    present.add(key);
    const json = JSON.stringify(row);
    if (known.get(key)?.json === json) continue;
    known.set(key, { row, json });
    changed.push(row);
  }
  const removed = [...known.keys()].filter((key) => !present.has(key));
  for (const key of removed) known.delete(key);
  return { changed, removed };
}

function startOfWindow(now: number): number {
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  return today - (SPEND_DAYS - 1) * 86_400_000;
}
