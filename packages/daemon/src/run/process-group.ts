import { setTimeout as sleep } from "node:timers/promises";
import { groupAlive } from "./proc-identity.js";

/** Sends `signal` to every process of group `pgid`; false if the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to the whole group (the agent, its shell, its MCP servers, their children), then
 * SIGKILL after `graceMs` if anything of it is still alive. Resolves when the group is gone
 * (or after the SIGKILL when it cannot be observed).
 */
export async function killGroup(pgid: number, graceMs: number): Promise<void> {
  if (pgid <= 1) return;
  if (!signalGroup(pgid, "SIGTERM")) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return;
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
  signalGroup(pgid, "SIGKILL");
  for (let attempt = 0; attempt < 50 && groupAlive(pgid); attempt += 1) await sleep(20);
}
