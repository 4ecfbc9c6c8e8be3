/** One server-sent event. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/**
 * Parses `text/event-stream` text fed in arbitrary chunks: fields `event`, `data` (joined by
 * newlines), `id`; comments and `retry` are skipped; a blank line ends a message.
 */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private id: string | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const end = this.buffer.indexOf("\n", start);
      if (end < 0) break;
      let line = this.buffer.slice(start, end);
      start = end + 1;
      if (line.endsWith("\r")) line = line.slice(0, -1);
      if (line === "") {
        if (this.data.length > 0) {
          messages.push({
            event: this.event || "message",
            data: this.data.join("\n"),
            ...(this.id === undefined ? {} : { id: this.id }),
          });
        }
        this.event = "";
        this.data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") this.event = value;
      else if (field === "data") this.data.push(value);
      else if (field === "id") this.id = value;
    }
    this.buffer = this.buffer.slice(start);
    return messages;
  }
}

/** Why a stream ended, as the page acts on it. */
export type StreamEnd = "unauthorized" | "retry";

/**
 * Reads an event stream with `fetch` (EventSource cannot send an Authorization header, and the
 * key must never ride in the URL). Resolves when the stream ends or fails.
 */
export async function readStream(
  url: string,
  headers: Record<string, string>,
  onMessage: (message: SseMessage) => void,
  signal: AbortSignal,
): Promise<StreamEnd> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, cache: "no-store" });
  } catch {
    return "retry";
  }
  if (response.status === 401 || response.status === 403) return "unauthorized";
  if (!response.ok || !response.body) return "retry";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const message of parser.push(decoder.decode(value, { stream: true })))
        onMessage(message);
    }
  } catch {
    // A dropped connection: the caller reconnects.
  }
  return "retry";
}

/** Reconnect delays: 1 s doubling to 30 s. */
export function backoffMs(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
}
