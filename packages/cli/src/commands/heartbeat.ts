import { Heartbeat, sleepUnlessAborted } from "@hedge/gateway";
import { commandContext } from "../command-context.js";
import { withStore } from "../composition/with-store.js";
import type { GlobalOptions } from "../context.js";
import { reportProfiles } from "../composition/report-profiles.js";

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
  const { config } = context.loaded;
  await withStore(context, async (store) => {
    const write = (line: string): void => {
      process.stdout.write(`${new Date().toISOString()} ${line}\n`);
    };
    const heartbeat = new Heartbeat(store, {
      profiles: reportProfiles(config, context.home),
      snapshotTtlMs: config.usage.snapshot_ttl_s * 1000,
      log: write,
    });
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      if (!options.once)
        write(
          `heartbeat: every ${options.intervalSeconds}s on the ${store.kind} store (Ctrl-C stops)`,
        );
      while (!stop.signal.aborted) {
        await heartbeat.tick();
        if (options.once) break;
        await sleepUnlessAborted(Math.max(0.2, options.intervalSeconds) * 1000, stop.signal);
      }
      if (!options.once) write("heartbeat: stopped");
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });
}
