import { DAY_MS, dayKey, type Rollup } from "../../stats/rollup.js";
import type { AuditEntry } from "../../store/store.js";
import type { Spend, SpendDimension, SpendRow } from "./dashboard-types.js";

const DAY = 86_400_000;
const DIMENSIONS: readonly SpendDimension[] = ["role", "model", "profile"];
/** Days the Spend panel covers, today included. */
export const SPEND_DAYS = 7;

type DayRows = Map<SpendDimension, Map<string, SpendRow>>;

/**
 * Tokens and $ per UTC day and per role / model / profile: from the Store's per-day rollups
 * (`stats:d:<start>`, complete whatever the audit log's cap) for the days that have one, else
 * summed incrementally from audit entries (each request counted once, by request id). Days
 * older than the panel drop out.
 */
export class SpendTally {
  /** day → dimension → key → totals */
  private readonly days = new Map<string, DayRows>();

  constructor(private readonly auditCap: number) {}

  add(entry: AuditEntry): void {
    const call = entry.call;
    if (!call || call.qa_verdict) return;
    const day = dayOf(entry.at);
    let dims = this.days.get(day);
    if (!dims) this.days.set(day, (dims = new Map<SpendDimension, Map<string, SpendRow>>()));
    const keys: Record<SpendDimension, string> = {
      role: call.role ?? "-",
      model: call.model,
      profile: call.profile ?? "-",
    };
    for (const dimension of DIMENSIONS) {
      let rows = dims.get(dimension);
      if (!rows) dims.set(dimension, (rows = new Map<string, SpendRow>()));
      const key = keys[dimension];
      const row = rows.get(key) ?? { key, inputTokens: 0, outputTokens: 0, usd: 0, calls: 0 };
      row.inputTokens += call.input_tokens;
      row.outputTokens += call.output_tokens;
      row.usd += call.cost_usd ?? 0;
      row.calls += 1;
      rows.set(key, row);
    }
  }

  /**
   * The panel's numbers as of `now` (a day's rollup, when `rollups` has it, rather than the
   * audit entries added); forgets days that left the window.
   */
  view(now: number, rollups: ReadonlyMap<string, Rollup> = new Map()): Spend {
    const days = Array.from({ length: SPEND_DAYS }, (_, index) =>
      dayOf(now - (SPEND_DAYS - 1 - index) * DAY),
    );
    for (const day of this.days.keys()) if (!days.includes(day)) this.days.delete(day);
    const rolled = days.map((day) => rollups.get(dayKey(Date.parse(`${day}T00:00:00Z`))));
    const byDay = new Map(
      days.map((day, index) => {
        const rollup = rolled[index];
        return [day, rollup?.v === 1 ? rowsOfRollup(rollup) : this.days.get(day)];
      }),
    );
    const today = days[days.length - 1] as string;
    return {
      today: totals([byDay.get(today)]),
      week: totals([...byDay.values()]),
      days: days.map((day) => {
        const rows = [...(byDay.get(day)?.get("model")?.values() ?? [])];
        return {
          day,
          usd: round(rows.reduce((sum, row) => sum + row.usd, 0)),
          inputTokens: rows.reduce((sum, row) => sum + row.inputTokens, 0),
          outputTokens: rows.reduce((sum, row) => sum + row.outputTokens, 0),
        };
      }),
      auditCap: this.auditCap,
      ...(rolled.some((rollup) => rollup?.v === 1) ? { rollups: true } : {}),
    };
  }
}

/** The Store keys of the panel's day rollups as of `now`. */
export function spendDayKeys(now: number): string[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return Array.from({ length: SPEND_DAYS }, (_, index) =>
    dayKey(today - (SPEND_DAYS - 1 - index) * DAY_MS),
  );
}

/** A day's rows from its rollup; groups with only QA verdicts (no calls) are left out. */
function rowsOfRollup(rollup: Rollup): DayRows {
  const dims: DayRows = new Map();
  for (const dimension of DIMENSIONS) {
    const rows = new Map<string, SpendRow>();
    for (const [key, sums] of Object.entries(rollup.groups[dimension] ?? {})) {
      if (!(sums.calls > 0)) continue;
      rows.set(key, {
        key,
        inputTokens: sums.input_tokens,
        outputTokens: sums.output_tokens,
        usd: sums.cost_usd,
        calls: sums.calls,
      });
    }
    dims.set(dimension, rows);
  }
  return dims;
}

function totals(days: readonly (DayRows | undefined)[]): Record<SpendDimension, SpendRow[]> {
  const result = { role: [], model: [], profile: [] } as Record<SpendDimension, SpendRow[]>;
  for (const dimension of DIMENSIONS) {
    const merged = new Map<string, SpendRow>();
    for (const day of days) {
      for (const row of day?.get(dimension)?.values() ?? []) {
        const sum = merged.get(row.key) ?? {
          key: row.key,
          inputTokens: 0,
          outputTokens: 0,
          usd: 0,
          calls: 0,
        };
        sum.inputTokens += row.inputTokens;
        sum.outputTokens += row.outputTokens;
        sum.usd += row.usd;
        sum.calls += row.calls;
        merged.set(row.key, sum);
      }
    }
    result[dimension] = [...merged.values()]
      .map((row) => ({ ...row, usd: round(row.usd) }))
      .sort((a, b) => b.usd - a.usd || b.calls - a.calls || a.key.localeCompare(b.key));
  }
  return result;
}

/** UTC `yyyy-mm-dd`. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
