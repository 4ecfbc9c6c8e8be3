import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { errors } from "./undici-lite.js";
import { onAbort, type CancelSignal } from "./cancellation.js";

/** Bytes buffered ahead of a slow reader before the upstream socket is paused. */
const HIGH_WATER_BYTES = 256 * 1024;

/** A provider's answer: status and headers, and a body read once (iterated, or whole). */
export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
}

/**
 * The body of an upstream response, fed by undici's dispatch handler: a chunk queue with
 * backpressure (the socket pauses while a reader is behind) that is read once, either as an
 * async iterable or whole (`bytes`, `text`, `json`). `destroy` aborts the upstream request.
 * No Readable stream and no AsyncResource per request: this is the gateway's hot path.
 */
export class UpstreamBody implements AsyncIterable<Buffer> {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private controller: Dispatcher.DispatchController | undefined;

  /** @internal */
  attach(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  /** @internal */
  push(chunk: Buffer): void {
    if (this.ended || this.failure) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered > HIGH_WATER_BYTES && this.wake === undefined) this.controller?.pause();
    this.notify();
  }

  /** @internal */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** @internal */
  fail(error: Error): void {
    if (this.ended) return;
    this.failure ??= error;
    this.notify();
  }

  /** Stops reading: aborts the upstream request if it has not finished, drops what is queued. */
  destroy(): void {
    if (!this.ended && !this.failure) {
      this.failure = new errors.RequestAbortedError();
      if (this.controller && !this.controller.aborted) this.controller.abort(this.failure);
    }
    this.chunks.length = 0;
    this.buffered = 0;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The next chunk, or undefined at the end; throws the upstream's error. */
  private async next(): Promise<Buffer | undefined> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.buffered -= chunk.length;
        if (this.controller?.paused && this.buffered <= HIGH_WATER_BYTES / 2)
          this.controller.resume();
        return chunk;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return undefined;
      if (this.controller?.paused) this.controller.resume();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    let done = false;
    try {
      for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next())
        yield chunk;
      done = true;
    } finally {
      // A reader that stopped early (break, throw) does not want the rest.
      if (!done) this.destroy();
    }
  }

  /** The whole body in one buffer. */
  async bytes(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next())
      parts.push(chunk);
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString("utf8");
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
}

/**
 * Sends one request with undici's dispatch API and resolves with the response once its headers
 * arrive (rejects on a connection error, a header timeout, or cancellation before then).
 */
export function dispatchUpstream(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: CancelSignal | undefined,
): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new errors.RequestAbortedError());
    const body = new UpstreamBody();
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let stopListening: (() => void) | undefined;
    const finish = (): void => {
      stopListening?.();
      stopListening = undefined;
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        body.attach(started);
        if (signal?.aborted) started.abort(new errors.RequestAbortedError());
      },
      onResponseStart(_controller, statusCode, headers) {
        if (statusCode < 200) return; // 1xx: informational, the real answer follows
        settled = true;
        resolve({ statusCode, headers, body });
      },
      onResponseData(_controller, chunk) {
        body.push(chunk);
      },
      onResponseEnd() {
        finish();
        body.end();
      },
      onResponseError(_controller, error) {
        finish();
        if (settled) body.fail(error);
        else {
          settled = true;
          reject(error);
        }
      },
    };
    if (signal) {
      // Before the request starts, onRequestStart sees `aborted` and aborts it there.
      stopListening = onAbort(signal, () => {
        if (controller && !controller.aborted) controller.abort(new errors.RequestAbortedError());
      });
    }
    dispatcher.dispatch(options, handler);
  });
}
