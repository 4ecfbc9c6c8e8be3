import type { DaemonRow, Loop, LoopSpec, Run } from "./types.js";

/** A Redis hash as HGETALL returns it (every value a string; a null field is absent). */
export type Hash = Record<string, string>;

const RUN_NUMBERS = new Set<keyof Run>([
  "scheduledFor",
  "collapsedUntilMs",
  "collapsedCount",
  "queuedAtMs",
  "startedAtMs",
  "endedAtMs",
  "exitCode",
  "verifyExitCode",
  "inputTokens",
  "outputTokens",
  "costUsd",
  "diffFiles",
  "diffInsertions",
  "diffDeletions",
  "pid",
  "pgid",
  "procStartTicks",
  "leaseUntilMs",
  "heartbeatAtMs",
]);

const RUN_KEYS: (keyof Run)[] = [
  "id",
  "loopId",
  "scheduledFor",
  "trigger",
  "triggerRef",
  "status",
  "reason",
  "collapsedUntilMs",
  "collapsedCount",
  "outcome",
  "queuedAtMs",
  "startedAtMs",
  "endedAtMs",
  "exitCode",
  "signal",
  "verifyExitCode",
  "inputTokens",
  "outputTokens",
  "costUsd",
  "diffFiles",
  "diffInsertions",
  "diffDeletions",
  "worktreePath",
  "worktreeKept",
  "logPath",
  "daemonId",
  "host",
  "pid",
  "pgid",
  "procStartTicks",
  "bootId",
  "leaseUntilMs",
  "heartbeatAtMs",
  "profile",
  "profileReason",
];

/** A run from its hash; absent fields are null. */
export function runFromHash(hash: Hash): Run {
  const run: Record<string, unknown> = {};
  for (const key of RUN_KEYS) {
    const value = hash[key];
    if (value === undefined) run[key] = null;
    else if (key === "worktreeKept") run[key] = value === "1";
    else run[key] = RUN_NUMBERS.has(key) ? Number(value) : value;
  }
  return run as unknown as Run;
}

/** Field/value pairs to HSET for the given run fields; null and undefined are left out. */
export function runFields(fields: Partial<Run>): string[] {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    pairs.push(key, typeof value === "boolean" ? (value ? "1" : "0") : String(value));
  }
  return pairs;
}

/**
 * A loop's hash: the spec is written once as JSON; the fields the ledger changes (state,
 * cursor, name on removal) are plain fields a script can compare and set.
 */
export function loopToHash(loop: Loop): string[] {
  const spec: LoopSpec = { ...loop };
  for (const key of ["id", "state", "cursorMs", "createdAtMs", "updatedAtMs"]) {
    delete (spec as unknown as Record<string, unknown>)[key];
  }
  return [
    "id",
    loop.id,
    "name",
    loop.name,
    "spec",
    JSON.stringify(spec),
    "state",
    loop.state,
    "cursorMs",
    String(loop.cursorMs),
    "createdAtMs",
    String(loop.createdAtMs),
    "updatedAtMs",
    String(loop.updatedAtMs),
  ];
}

export function loopFromHash(hash: Hash): Loop {
  const spec = JSON.parse(hash["spec"] ?? "{}") as LoopSpec;
  return {
    ...spec,
    // A loop written before `--via-gateway` existed has no such field.
    viaGateway: spec.viaGateway === true,
    id: hash["id"] ?? "",
    name: hash["name"] ?? spec.name,
    state: (hash["state"] ?? "paused") as Loop["state"],
    cursorMs: Number(hash["cursorMs"]),
    createdAtMs: Number(hash["createdAtMs"]),
    updatedAtMs: Number(hash["updatedAtMs"]),
  };
}

export function daemonToHash(row: DaemonRow): string[] {
  return runFields(row);
}

export function daemonFromHash(hash: Hash): DaemonRow {
  return {
    id: hash["id"] ?? "",
    host: hash["host"] ?? "",
    pid: Number(hash["pid"]),
    bootId: hash["bootId"] ?? null,
    version: hash["version"] ?? "",
    startedAtMs: Number(hash["startedAtMs"]),
    heartbeatAtMs: Number(hash["heartbeatAtMs"]),
    stoppedAtMs: hash["stoppedAtMs"] === undefined ? null : Number(hash["stoppedAtMs"]),
  };
}
