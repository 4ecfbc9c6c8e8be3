import type { HedgeConfig } from "../config/schema.js";

/** Session events that `[hooks]` can follow. */
export type SessionHookEvent = "turn_completed" | "turn_failed";

/**
 * Queues the loops `[hooks]` names for `event` in the loops ledger and nudges the daemon. They
 * run in the daemon, so they finish even after this session has closed; with the daemon down
 * they run when it starts. Never fails the session: a problem is one line to `warn` (default:
 * stderr; the TUI shows it as a notice, stderr being its screen).
 */
export async function fireSessionHooks(
  home: string,
  config: Pick<HedgeConfig, "hooks"> & { daemon?: Pick<HedgeConfig["daemon"], "store"> },
  event: SessionHookEvent,
  {
    warn = (text: string): void => void process.stderr.write(`hedge: ${text}\n`),
  }: { warn?: (text: string) => void } = {},
): Promise<void> {
  const names = config.hooks[event];
  if (names.length === 0) return;
  try {
    // Loaded only when hooks are configured: exec without hooks never opens the ledger.
    const { queueHookRuns, openLedger } = await import("@hedge/daemon");
    const { notifyDaemon } = await import("./loop-ledger.js");
    // The session's config: `daemon.store` is the user's alone (a project layer cannot set it).
    const ledger = await openLedger(home, config.daemon?.store);
    let unknown: string[];
    try {
      unknown = (await queueHookRuns(ledger, names, Date.now())).unknown;
    } finally {
      await ledger.close();
    }
    await notifyDaemon(home);
    if (unknown.length > 0) {
      warn(
        `[hooks] ${event} names no active loop ${unknown.map((name) => JSON.stringify(name)).join(", ")} (hedge loop list)`,
      );
    }
  } catch (error) {
    warn(`[hooks] ${event} could not queue its loops: ${(error as Error).message}`);
  }
}
