import { HedgeError } from "@hedge/model-spec";
import type { AuditEntry, StoreOptions } from "./store.js";

/** Shared pieces of the three Store backends, so they agree on every edge. */

export const DEFAULT_AUDIT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_AUDIT_MAX_ENTRIES = 10_000;

/** StoreOptions with defaults applied. */
export interface ResolvedStoreOptions {
  auditRetentionMs: number;
  auditMaxEntries: number;
  now: () => number;
}

export function resolveStoreOptions(options: StoreOptions): ResolvedStoreOptions {
  const auditRetentionMs = options.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
  const auditMaxEntries = options.auditMaxEntries ?? DEFAULT_AUDIT_MAX_ENTRIES;
  if (!(auditRetentionMs > 0)) {
    throw new RangeError(`auditRetentionMs must be positive, got ${auditRetentionMs}`);
  }
  if (!Number.isInteger(auditMaxEntries) || auditMaxEntries < 1) {
    throw new RangeError(`auditMaxEntries must be a positive integer, got ${auditMaxEntries}`);
  }
  return { auditRetentionMs, auditMaxEntries, now: options.now ?? Date.now };
}

/**
 * A TTL as whole milliseconds (at least 1). A non-positive or non-finite TTL is a caller bug,
 * not something to paper over: Redis would reject it and the other backends must agree.
 */
export function checkTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}`);
  }
  return Math.max(1, Math.ceil(ttlMs));
}

export function checkIncrement(by: number): void {
  if (!Number.isFinite(by)) throw new RangeError(`increment by must be finite, got ${by}`);
}

/**
 * Values are stored as JSON text in every backend, so what a caller reads back is the same
 * whichever backend is configured (Dates become strings, `undefined` fields vanish).
 * `undefined` serializes to `undefined`: the callers treat that as a delete.
 */
export function serialize(value: unknown): string | undefined {
  // The lib types say string, but undefined, functions and symbols stringify to undefined.
  return JSON.stringify(value);
}

export function deserialize<T>(text: string): T {
  return JSON.parse(text) as T;
}

/**
 * The read-modify-write step of `update`, on stored text: `change` sees a copy of the current
 * value (undefined when absent) and what it returns is stored as JSON. Undefined text out means
 * delete.
 */
export function applyChange<T>(
  text: string | undefined,
  change: (current: T | undefined) => T | undefined,
): string | undefined {
  return serialize(change(text === undefined ? undefined : deserialize<T>(text)));
}

/** How the memory and Redis backends sort `list`: by key in UTF-16 code-unit order, not locale. */
export function compareByKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The audit entry as stored: JSON of the entry, newest-first ordering is by `at` then insertion. */
export function serializeAudit(entry: AuditEntry): string {
  return JSON.stringify(entry);
}

/** The first `at` that is still within the retention window. */
export function auditCutoff(options: ResolvedStoreOptions): number {
  return options.now() - options.auditRetentionMs;
}

/** The lower bound of a listAudit query: the later of `since` and the retention cutoff. */
export function auditLowerBound(options: ResolvedStoreOptions, since: number | undefined): number {
  const cutoff = auditCutoff(options);
  return since === undefined ? cutoff : Math.max(since, cutoff);
}

export function checkAuditLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
  return limit;
}

export function storeClosedError(kind: string): HedgeError {
  return new HedgeError("store_closed", `The ${kind} store is closed.`, {
    hint: "This is a bug in hedge: a component used the state store after shutdown.",
  });
}

/** A driver's error message on one line, for the message of the HedgeError that wraps it. */
export function oneLineMessage(error: Error): string {
  return error.message.replace(/\s+/g, " ").trim();
}

export function notANumberError(key: string): HedgeError {
  return new HedgeError(
    "store_not_a_number",
    `Cannot increment "${key}": its value is not a number.`,
    {
      hint: "Use one key per counter; increment only keys written by increment.",
    },
  );
}

/** Redis URLs may carry a password: never show it (one masker for the gateway and the daemon). */
export { redactUrlPassword as redactUrl } from "@hedge/auth";

/** `appendAudit` takes one entry or a batch; every backend works on a batch. */
export function auditBatch(entries: AuditEntry | readonly AuditEntry[]): readonly AuditEntry[] {
  return Array.isArray(entries) ? (entries as readonly AuditEntry[]) : [entries as AuditEntry];
}
