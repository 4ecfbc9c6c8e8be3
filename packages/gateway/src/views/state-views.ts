import type {
  GatewayStatusView,
  StatsQuery,
  StatsView,
  StatusQuery,
  UsageReportView,
} from "@hedge/model-spec";
import { usageSchema } from "../config-schema.js";
import { MemoryStore } from "../store/memory-store.js";
import type { Store } from "../store/store.js";
import { redactView } from "./redact-view.js";
import type { StateSources } from "./state-sources.js";
import { statsView } from "./stats-view.js";
import { statusView } from "./status-view.js";
import { usageView } from "./usage-view.js";

/** `[usage]` defaults, for an engine without the usage heartbeat. */
const usageDefaults = usageSchema.parse({});
const DEFAULT_USAGE = {
  switchBelow: usageDefaults.switch_below,
  snapshotTtlMs: usageDefaults.snapshot_ttl_s * 1000,
};
/** Recent requests `status` scans for errors unless asked otherwise. */
export const DEFAULT_STATUS_LIMIT = 200;

/**
 * The views of routing state (usage, status, stats) over a Store: what the embedded client
 * answers in-process and hedge's admin API answers over HTTP. Every view is scrubbed of keys.
 */
export class StateViews {
  private readonly store: Store;
  private readonly now: () => number;

  constructor(private readonly sources: StateSources) {
    // An engine without shared state has nothing to show: its views are empty, not an error.
    this.store = sources.store ?? new MemoryStore();
    this.now = sources.now ?? Date.now;
  }

  async usage(): Promise<UsageReportView> {
    const view = await usageView(
      this.store,
      this.sources.profiles?.() ?? [],
      this.sources.usage ?? DEFAULT_USAGE,
      this.now(),
    );
    return this.redact(view);
  }

  async status(query: StatusQuery = {}): Promise<GatewayStatusView> {
    const view = await statusView(
      this.store,
      {
        breakerCooldownMs: this.sources.breakerCooldownMs,
        limit: query.limit ?? DEFAULT_STATUS_LIMIT,
      },
      this.now(),
    );
    return this.redact(view);
  }

  async stats(query: StatsQuery): Promise<StatsView> {
    return this.redact(await statsView(this.store, query));
  }

  /** Any view, scrubbed of the keys these sources hold and of key-shaped words. */
  redact<T>(view: T): T {
    return redactView(view, this.sources.secrets?.() ?? []);
  }
}
