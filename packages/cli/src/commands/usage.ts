import { setTimeout as sleep } from "node:timers/promises";
import { commandContext } from "../command-context.js";
import { connectClient } from "../composition/connect.js";
import type { GlobalOptions } from "../context.js";
import { formatReport } from "./usage-format.js";

/**
 * `hedge usage [--watch] [--json]`: per profile, its provider, the share left of each rate-limit
 * window as a bar with the reset countdown, a cooldown in force and the last switch (from the
 * shared state, like Codex's `/status`; from the gateway `--gateway` names, its profiles).
 * `--watch` redraws every `--interval` seconds until interrupted.
 */
export async function runUsage(
  globals: GlobalOptions,
  options: { json: boolean; watch: boolean; intervalSeconds: number; gateway?: string },
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const { client } = await connectClient(loaded.config, home, options.gateway);
  try {
    const render = async (): Promise<string> => {
      const view = await client.usage();
      return options.json ? `${JSON.stringify(view, null, 2)}\n` : formatReport(view, Date.now());
    };
    if (!options.watch) {
      process.stdout.write(await render());
      return;
    }
    await watch(render, options.intervalSeconds, options.json);
  } finally {
    await client.close();
  }
}

async function watch(
  render: () => Promise<string>,
  intervalSeconds: number,
  json: boolean,
): Promise<void> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    while (!stop.signal.aborted) {
      const text = await render();
      // A terminal is redrawn in place; a pipe gets one report after another.
      process.stdout.write(json || !process.stdout.isTTY ? text : `\u001b[H\u001b[2J${text}`);
      await sleep(Math.max(0.2, intervalSeconds) * 1000, undefined, { signal: stop.signal }).catch(
        () => undefined,
      );
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
