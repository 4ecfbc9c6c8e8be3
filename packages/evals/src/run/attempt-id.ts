import { createHash, randomBytes } from "node:crypto";

/**
 * An attempt's id, known before anything runs: the same run, task, roles, tool set and sample
 * always give the same id, which is how a resumed run knows what it already did.
 */
export function attemptId(parts: {
  runId: string;
  taskId: string;
  roles: Readonly<Record<string, string | null>>;
  toolset: string;
  sample: number;
}): string {
  const roles = Object.keys(parts.roles)
    .sort()
    .map((role) => `${role}=${parts.roles[role] ?? ""}`)
    .join(",");
  const digest = createHash("sha256")
    .update([parts.runId, parts.taskId, roles, parts.toolset, String(parts.sample)].join("\0"))
    .digest("hex");
  return `at_${digest.slice(0, 16)}`;
}

/** `ev_<yyyymmdd>_<6 hex>`. */
export function newRunId(now = new Date()): string {
  const date = now.toISOString().slice(0, 10).replace(/-/g, "");
  return `ev_${date}_${randomBytes(3).toString("hex")}`;
}
