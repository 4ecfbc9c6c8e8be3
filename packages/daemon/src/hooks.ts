import type { Ledger } from "./ledger/ledger.js";

/**
 * Queues one run of each named loop for a session event, straight into the ledger: it runs when
 * the daemon next looks (at once if it is up and nudged, else when it starts), even after the
 * session has closed. Unknown or paused loops are reported, not fatal.
 */
export async function queueHookRuns(
  ledger: Ledger,
  loopNames: readonly string[],
  now: number,
): Promise<{ queued: string[]; unknown: string[] }> {
  const queued: string[] = [];
  const unknown: string[] = [];
  for (const name of loopNames) {
    const loop = await ledger.findLoop(name);
    if (!loop || loop.state !== "active") {
      unknown.push(name);
      continue;
    }
    if (await ledger.insertEventRun(loop.id, "hook", null, now)) queued.push(name);
  }
  return { queued, unknown };
}
