import { setTimeout as sleep } from "node:timers/promises";
import { formatWait } from "@hedge/model-spec";

/**
 * `--wait-for-reset`: waits until `resetAt` (plus a second, so the window really turned over)
 * with a countdown on stderr: redrawn every second on a terminal, one line a minute otherwise.
 * Resolves early when `signal` aborts.
 */
export async function waitForReset(
  resetAt: number,
  reason: string,
  signal?: AbortSignal,
  write: (text: string) => void = (text) => process.stderr.write(text),
): Promise<void> {
  const until = resetAt + 1000;
  const tty = process.stderr.isTTY === true;
  write(
    `hedge: ${firstClause(reason)}; waiting for the reset at ${new Date(resetAt).toISOString()}\n`,
  );
  let lastLine = 0;
  while (!signal?.aborted) {
    const left = until - Date.now();
    if (left <= 0) break;
    if (tty) write(`\r  resets in ${formatWait(left)}   `);
    else if (Date.now() - lastLine >= 60_000) {
      write(`  resets in ${formatWait(left)}\n`);
      lastLine = Date.now();
    }
    // An abort ends the wait early; the loop then stops.
    await sleep(Math.min(1000, left), undefined, signal ? { signal } : {}).catch(() => undefined);
  }
  if (tty) write("\r\u001b[2K");
}

/** The error's headline, without the per-route details in parentheses. */
function firstClause(message: string): string {
  const cut = message.indexOf(" (");
  return cut > 0 ? message.slice(0, cut) : message;
}
