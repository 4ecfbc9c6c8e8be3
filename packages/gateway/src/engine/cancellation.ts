/**
 * One served request's cancellation (the client went away). The HTTP server makes one per request
 * instead of an AbortController: on Node 20, an AbortSignal's EventTarget listeners, added and
 * removed on every request, cost about a quarter of the gateway's throughput when handed to
 * undici (`pnpm bench:gateway`); this is a flag and a listener list.
 */
export class Cancellation {
  aborted = false;
  private listeners: (() => void)[] | undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener();
  }

  /** Calls `listener` once on abort; returns the function that stops listening. */
  listen(listener: () => void): () => void {
    (this.listeners ??= []).push(listener);
    return () => {
      const at = this.listeners?.indexOf(listener) ?? -1;
      if (at >= 0) this.listeners?.splice(at, 1);
    };
  }
}

/** What the engine accepts as a request's cancellation: a caller's AbortSignal or a Cancellation. */
export type CancelSignal = AbortSignal | Cancellation;

/** Calls `listener` once when `signal` aborts; returns the function that stops listening. */
export function onAbort(signal: CancelSignal, listener: () => void): () => void {
  if (signal instanceof Cancellation) return signal.listen(listener);
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
