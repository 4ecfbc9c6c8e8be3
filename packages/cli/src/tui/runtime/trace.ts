import { appendFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** `HEDGE_TUI_TRACE=file`: where the TUI's own timings go (the benchmark attributes latency). */
export interface Trace {
  /** A key batch was reduced; `receivedAt` is when its bytes arrived (`performance.now()`). */
  key(receivedAt: number): void;
  /** ink rendered a frame in `renderTime` ms. */
  frame(renderTime: number): void;
  flush(): void;
}

const noTrace: Trace = { key() {}, frame() {}, flush() {} };

/**
 * A JSONL trace: `{"t":"key","received":…,"handled":…}` and
 * `{"t":"frame","at":…,"render":…,"cpu":…}` (`cpu`: the process's CPU ms so far),
 * times in ms on `performance.now()`'s clock, plus `timeOrigin` once, so an outside observer can
 * line them up. Buffered and written every 250 ms and at exit (a write per frame would itself
 * cost frames). Off (no cost) when `path` is unset.
 */
export function createTrace(path: string | undefined): Trace {
  if (!path) return noTrace;
  let buffer = `${JSON.stringify({ t: "start", timeOrigin: performance.timeOrigin })}\n`;
  const flush = (): void => {
    if (!buffer) return;
    try {
      appendFileSync(path, buffer);
    } catch {
      // Tracing must never break the session.
    }
    buffer = "";
  };
  const timer = setInterval(flush, 250);
  timer.unref();
  process.on("exit", flush);
  return {
    key(receivedAt) {
      buffer += `${JSON.stringify({ t: "key", received: receivedAt, handled: performance.now() })}\n`;
    },
    frame(renderTime) {
      // CPU ms of the whole process so far (user + system): start cost that load cannot inflate.
      const { user, system } = process.cpuUsage();
      const cpu = (user + system) / 1000;
      buffer += `${JSON.stringify({ t: "frame", at: performance.now(), render: renderTime, cpu })}\n`;
    },
    flush,
  };
}
