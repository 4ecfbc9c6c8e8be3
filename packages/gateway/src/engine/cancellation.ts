import { EventEmitter } from "node:events";

/**
 * One served request's cancellation (the client went away), in the shape undici accepts as a
 * request `signal`: an EventEmitter with `aborted` that emits `abort`. The HTTP server makes one
 * per request instead of an AbortController: on Node 20, an AbortSignal handed to undici costs
 * about a quarter of the gateway's throughput (EventTarget listeners added and removed on every
 * request), an EventEmitter next to nothing (`pnpm bench:gateway`).
 */
export class Cancellation extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit("abort");
  }
}

/** What the engine accepts as a request's cancellation: a caller's AbortSignal or a Cancellation. */
export type CancelSignal = AbortSignal | Cancellation;

/** Calls `listener` once when `signal` aborts; returns the function that stops listening. */
export function onAbort(signal: CancelSignal, listener: () => void): () => void {
  if (signal instanceof Cancellation) {
    signal.once("abort", listener);
    return () => signal.off("abort", listener);
  }
  signal.addEventListener("abort", listener, { once: true });
  return () => signal.removeEventListener("abort", listener);
}

/** Waits `ms`, or less when `signal` aborts first (never rejects). */
export function sleepUnlessAborted(ms: number, signal: CancelSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    let stop = (): void => undefined;
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
    if (signal)
      stop = onAbort(signal, () => {
        clearTimeout(timer);
        resolve();
      });
  });
}
