import { Cron } from "croner";
import { UsageError } from "@hedge/model-spec";

/** When a loop's slots fall. `event` loops have no slots: triggers create their runs. */
export type Schedule =
  | { kind: "cron"; expr: string; tz: string }
  | { kind: "every"; periodMs: number; anchorMs: number }
  | { kind: "at"; atMs: number }
  | { kind: "event" };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m`, `1h30m`, `2s`, `500ms` → milliseconds; a clear error otherwise. */
export function parseDuration(text: string, flag: string): number {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const joined = parts.map((part) => part[0]).join("");
  if (parts.length === 0 || joined !== text.trim()) {
    throw new UsageError(`${flag} ${JSON.stringify(text)} is not a duration`, {
      hint: "write it like 30s, 15m, 2h or 1h30m",
    });
  }
  const total = parts.reduce(
    (sum, part) => sum + Number(part[1]) * (UNITS[part[2] ?? "ms"] ?? 1),
    0,
  );
  if (!Number.isFinite(total) || total <= 0) {
    throw new UsageError(`${flag} ${JSON.stringify(text)} must be longer than zero`, {
      hint: "write it like 30s, 15m, 2h or 1h30m",
    });
  }
  return Math.round(total);
}

/** Rejects a timezone croner would only reject at its first date computation. */
export function assertTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
  } catch {
    throw new UsageError(`--tz ${JSON.stringify(tz)} is not a known timezone`, {
      hint: "use an IANA name such as Europe/Berlin, America/New_York or UTC",
    });
  }
}

const cronCache = new Map<string, Cron>();

/** A croner instance used as a pure calculator: no callback, no name, so no timer, no registry. */
export function cronFor(expr: string, tz: string): Cron {
  const key = `${tz}\u0000${expr}`;
  const cached = cronCache.get(key);
  if (cached) return cached;
  let cron: Cron;
  try {
    cron = new Cron(expr, {
      timezone: tz,
      paused: true,
      mode: "5-part",
      domAndDow: false,
      fixedTimeRule: "no-wildcard",
    });
  } catch (error) {
    throw new UsageError(
      `--cron ${JSON.stringify(expr)} is not a cron pattern: ${(error as Error).message}`,
      { hint: 'use five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"' },
    );
  }
  if (cronCache.size > 1000) cronCache.clear();
  cronCache.set(key, cron);
  return cron;
}

/** Validates a cron schedule at `loop add`: pattern, timezone, and that it ever fires. */
export function assertCron(expr: string, tz: string): void {
  assertTimezone(tz);
  if (cronFor(expr, tz).nextRun(new Date()) === null) {
    throw new UsageError(`--cron ${JSON.stringify(expr)} never fires`, {
      hint: "check the day-of-month and month fields",
    });
  }
}

/** `every` slots share boundaries with other loops of the same period: anchor at a multiple. */
export function everyAnchor(createdAtMs: number, periodMs: number): number {
  return Math.ceil(createdAtMs / periodMs) * periodMs;
}
