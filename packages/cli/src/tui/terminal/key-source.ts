import { performance } from "node:perf_hooks";
import { createKeyDecoder } from "./key-decoder.js";
import type { KeyEvent } from "./key-event.js";
import { createPasteDetector } from "./paste-detector.js";

/** A terminal's input stream, as the key source needs it (`process.stdin` on a TTY). */
export interface KeyInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Receives decoded keys with the time their bytes arrived (`performance.now()`, for tracing). */
export type KeyListener = (events: KeyEvent[], receivedAt: number) => void;

/** The open key source; `close` gives the terminal its cooked mode back. */
export interface KeySource {
  close(): void;
}

/**
 * Owns stdin: raw mode on, bytes through the key decoder and the unbracketed-paste detector, keys
 * out. ink never reads stdin (it gets an inert stream), so no key is parsed twice or lost to
 * ink's own parser.
 */
export function openKeySource(input: KeyInput, listener: KeyListener): KeySource {
  let receivedAt = performance.now();
  const detector = createPasteDetector((events) => listener(events, receivedAt));
  const decoder = createKeyDecoder((events) => detector.push(events));
  const onData = (chunk: Buffer | string): void => {
    receivedAt = performance.now();
    decoder.feed(chunk);
  };
  if (input.isTTY) input.setRawMode?.(true);
  input.on("data", onData);
  input.resume();
  let open = true;
  return {
    close() {
      if (!open) return;
      open = false;
      input.off("data", onData);
      decoder.dispose();
      detector.dispose();
      if (input.isTTY) input.setRawMode?.(false);
      input.pause();
    },
  };
}
