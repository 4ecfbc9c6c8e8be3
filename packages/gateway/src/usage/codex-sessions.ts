import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { codexFamily, codexWindow, type CodexWindowValues } from "./parse-headers.js";
import type { UsageWindow } from "./snapshot.js";

/** What a Codex home's newest session file says of the login's plan limits. */
export interface CodexLimits {
  /** Windows by family (`*`: the default `codex` limit, the whole account). */
  families: Map<string, UsageWindow[]>;
  /** When Codex recorded them (epoch ms). */
  capturedAt: number;
  /** The rollout file they came from. */
  file: string;
  /** Codex said the usage limit was reached (its "usage limit" error), with the reset if named. */
  limitReached?: { message: string; resetAt?: number };
}

/** How much of the end of a session file is read: snapshots are written after every turn. */
const TAIL_BYTES = 256 * 1024;

/**
 * Reads the latest rate-limit snapshot Codex recorded under `codexHome` (a cli-login profile's
 * `CODEX_HOME`). Codex appends to `sessions/YYYY/MM/DD/rollout-*.jsonl` an `event_msg` of type
 * `token_count` after each model response; its `rate_limits` holds `primary` and `secondary`
 * windows (`used_percent`, `window_minutes`, `resets_at` epoch seconds, or the older
 * `resets_in_seconds`) and, in newer versions, `limit_id` / `limit_name` for per-model limits.
 * An `error` event saying the usage limit was reached marks the account exhausted.
 */
export function readCodexLimits(codexHome: string): CodexLimits | undefined {
  for (const file of newestRollouts(join(codexHome, "sessions"), 5)) {
    const found = limitsIn(file);
    if (found) return found;
  }
  return undefined;
}

function limitsIn(file: string): CodexLimits | undefined {
  const lines = tail(file).split("\n");
  let limitReached: CodexLimits["limitReached"];
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index]?.trim();
    if (!line || (!line.includes('"token_count"') && !line.includes("usage limit"))) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const record = object(entry);
    const payload = object(record?.["payload"]);
    const at = Date.parse(typeof record?.["timestamp"] === "string" ? record["timestamp"] : "");
    const capturedAt = Number.isFinite(at) ? at : statSync(file).mtimeMs;
    if (payload?.["type"] === "error" && typeof payload["message"] === "string") {
      const message = payload["message"];
      if (/usage limit/i.test(message) && !limitReached) {
        const resetAt = usageLimitReset(message, capturedAt);
        limitReached = { message, ...(resetAt === undefined ? {} : { resetAt }) };
      }
      continue;
    }
    if (payload?.["type"] !== "token_count") continue;
    const limits = object(payload["rate_limits"]);
    if (!limits) continue;
    const windows: UsageWindow[] = [];
    for (const slot of ["primary", "secondary"] as const) {
      const window = codexWindow(slot, windowValues(object(limits[slot])), capturedAt);
      if (window) windows.push(window);
    }
    if (windows.length === 0) continue;
    const limitId = typeof limits["limit_id"] === "string" ? limits["limit_id"] : "codex";
    const limitName = typeof limits["limit_name"] === "string" ? limits["limit_name"] : undefined;
    const family = codexFamily(limitId, limitName);
    if (limitReached && limitReached.resetAt === undefined) {
      const reset = Math.max(0, ...windows.map((window) => window.resetAt ?? 0));
      if (reset > 0) limitReached.resetAt = reset;
    }
    return {
      families: new Map([[family, windows]]),
      capturedAt,
      file,
      ...(limitReached ? { limitReached } : {}),
    };
  }
  return undefined;
}

/** A `rate_limits` slot's numbers; a used percent only when finite. */
function windowValues(raw: Record<string, unknown> | undefined): CodexWindowValues {
  const used = raw?.["used_percent"];
  return {
    usedPercent: typeof used === "number" && Number.isFinite(used) ? used : undefined,
    windowMinutes: numberField(raw, "window_minutes"),
    resetsAt: numberField(raw, "resets_at"),
    resetsInSeconds: numberField(raw, "resets_in_seconds"),
  };
}

function numberField(raw: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = raw?.[key];
  return typeof value === "number" ? value : undefined;
}

/**
 * The reset named in Codex's "usage limit" message: "try again in 2 days 3 hours 5 minutes" (or
 * "in 42 minutes"), relative to when it was written.
 */
export function usageLimitReset(message: string, capturedAt: number): number | undefined {
  const match = /try again in ([^.]+)/i.exec(message);
  if (!match?.[1]) return undefined;
  const units: Record<string, number> = {
    day: 86_400_000,
    hour: 3_600_000,
    minute: 60_000,
    min: 60_000,
    second: 1000,
    sec: 1000,
  };
  let total = 0;
  for (const part of match[1].matchAll(/(\d+(?:\.\d+)?)\s*(day|hour|minute|min|second|sec)/gi)) {
    total += Number(part[1]) * (units[(part[2] ?? "").toLowerCase()] ?? 0);
  }
  return total > 0 ? capturedAt + total : undefined;
}

/** Rollout files, newest first (their paths sort by date and time). */
function newestRollouts(root: string, count: number): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (found.length >= count) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort().reverse();
    } catch {
      return;
    }
    for (const name of names) {
      if (found.length >= count) return;
      const path = join(dir, name);
      if (depth < 3) walk(path, depth + 1);
      else if (name.startsWith("rollout-") && name.endsWith(".jsonl")) found.push(path);
    }
  };
  walk(root, 0);
  return found;
}

function tail(file: string): string {
  const size = statSync(file).size;
  const start = Math.max(0, size - TAIL_BYTES);
  const buffer = Buffer.alloc(size - start);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8");
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
