import { setTimeout as sleep } from "node:timers/promises";
import { commandContext } from "../command-context.js";
import { withHeartbeat } from "../composition/admin.js";
import type { GlobalOptions } from "../context.js";

/**
 * `hedge heartbeat`: the usage heartbeat's housekeeping in the foreground (the daemon will host
 * it later). Every `--interval` seconds it expires stale snapshots, clears cooldowns whose reset
 * came, reads the limits Codex cli-login profiles recorded, and prints one line per event and
 * per profile switch. Exits on SIGINT / SIGTERM; `--once` runs one tick.
 */
export async function runHeartbeat(
  globals: GlobalOptions,
  options: { intervalSeconds: number; once: boolean },
): Promise<void> {
  const context = commandContext(globals);
  const write = (line: string): void => {
    process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  };
  await withHeartbeat(context, write, async (heartbeat) => {
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      if (!options.once)
        write(
          `heartbeat: every ${options.intervalSeconds}s on the ${heartbeat.storeKind} store (Ctrl-C stops)`,
        );
      while (!stop.signal.aborted) {
        await heartbeat.tick();
        if (options.once) break;
        await sleep(Math.max(0.2, options.intervalSeconds) * 1000, undefined, {
          signal: stop.signal,
        }).catch(() => undefined);
      }
      if (!options.once) write("heartbeat: stopped");
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });
}
