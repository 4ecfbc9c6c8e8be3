import type { AuditEntry } from "../../store/store.js";
import type { Spend, SpendDimension, SpendRow } from "./dashboard-types.js";

const DAY = 86_400_000;
const DIMENSIONS: readonly SpendDimension[] = ["role", "model", "profile"];
/** Days the Spend panel covers, today included. */
export const SPEND_DAYS = 7;

/**
 * Tokens and $ per UTC day and per role / model / profile, summed incrementally from audit
 * entries (each request counted once, by request id). Days older than the panel drop out.
 */
export class SpendTally {
  /** day → dimension → key → totals */
  private readonly days = new Map<string, Map<SpendDimension, Map<string, SpendRow>>>();

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

  /** The panel's numbers as of `now`; forgets days that left the window. */
  view(now: number): Spend {
    const days = Array.from({ length: SPEND_DAYS }, (_, index) =>
      dayOf(now - (SPEND_DAYS - 1 - index) * DAY),
    );
    for (const day of this.days.keys()) if (!days.includes(day)) this.days.delete(day);
    const today = days[days.length - 1] as string;
    return {
      today: totals([today].map((day) => this.days.get(day))),
      week: totals(days.map((day) => this.days.get(day))),
      days: days.map((day) => {
        const rows = [...(this.days.get(day)?.get("model")?.values() ?? [])];
        return {
          day,
          usd: round(rows.reduce((sum, row) => sum + row.usd, 0)),
          inputTokens: rows.reduce((sum, row) => sum + row.inputTokens, 0),
          outputTokens: rows.reduce((sum, row) => sum + row.outputTokens, 0),
        };
      }),
      auditCap: this.auditCap,
    };
  }
}

function totals(
  days: readonly (Map<SpendDimension, Map<string, SpendRow>> | undefined)[],
): Record<SpendDimension, SpendRow[]> {
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
