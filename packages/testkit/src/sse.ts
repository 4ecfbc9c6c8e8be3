import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/** One server-sent event: an optional `event:` line and one `data:` line. */
export interface SseFrame {
  event?: string;
  data: string;
}

/** Serialises a frame as it goes on the wire. */
export function encodeFrame(frame: SseFrame): string {
  return `${frame.event === undefined ? "" : `event: ${frame.event}\n`}data: ${frame.data}\n\n`;
}

/** A frame for `data`, serialised as JSON. */
export function jsonFrame(data: unknown, event?: string): SseFrame {
  const frame: SseFrame = { data: JSON.stringify(data) };
  if (event !== undefined) frame.event = event;
  return frame;
}

/**
 * Inserts a frame whose data is not valid JSON before position `at`, keeping the event name of
 * the frame it precedes so clients that dispatch on `event:` still try to parse it.
 */
export function withMalformedFrame(frames: readonly SseFrame[], at: number): SseFrame[] {
  const position = Math.min(at, frames.length);
  const malformed: SseFrame = { data: '{"malformed": true, "cut": "here' };
  const event = frames[position]?.event ?? frames[position - 1]?.event;
  if (event !== undefined) malformed.event = event;
  return [...frames.slice(0, position), malformed, ...frames.slice(position)];
}

function write(res: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    res.write(text, () => resolve());
  });
}

/** How frames are paced and whether the connection is cut. */
export interface StreamPacing {
  intervalMs: number;
  /** Destroy the socket once this many frames are written (instead of ending the response). */
  disconnectAfter: number | undefined;
  signal: AbortSignal;
}

/** Writes SSE headers and frames; stops quietly if the client goes away. */
export async function writeSseStream(
  res: ServerResponse,
  frames: readonly SseFrame[],
  pacing: StreamPacing,
): Promise<void> {
  res.flushHeaders();
  for (const [index, frame] of frames.entries()) {
    if (pacing.disconnectAfter !== undefined && index >= pacing.disconnectAfter) break;
    if (index > 0 && pacing.intervalMs > 0)
      await sleep(pacing.intervalMs, undefined, { signal: pacing.signal });
    if (res.destroyed) return;
    await write(res, encodeFrame(frame));
  }
  if (pacing.disconnectAfter !== undefined) {
    // Destroying the socket leaves the chunked body unterminated, as a dropped connection does.
    res.destroy();
    return;
  }
  res.end();
}
