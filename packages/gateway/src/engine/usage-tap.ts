import type { CanonicalUsage } from "../canonical/events.js";
import { parseJsonObject } from "../wire/json.js";
import { SseParser } from "../wire/sse.js";
import type { WireCodec } from "../wire/registry.js";

/**
 * Watches pass-through bytes for usage without re-encoding them: SSE framing is parsed, but a
 * payload is JSON-parsed only when it mentions usage (a handful per response).
 */
export class UsageTap {
  usage: CanonicalUsage | undefined;
  private readonly parser: SseParser | undefined;
  private readonly buffered: Uint8Array[] = [];

  constructor(
    private readonly codec: WireCodec,
    stream: boolean,
  ) {
    this.parser = stream ? new SseParser() : undefined;
  }

  push(chunk: Uint8Array): void {
    if (!this.parser) {
      this.buffered.push(chunk);
      return;
    }
    for (const message of this.parser.push(chunk)) {
      if (message.data.includes('"usage"')) this.take(message.data);
    }
  }

  end(): CanonicalUsage | undefined {
    if (!this.parser) this.take(Buffer.concat(this.buffered).toString("utf8"));
    return this.usage;
  }

  private take(text: string): void {
    const payload = parseJsonObject(text);
    if (payload) this.usage = this.codec.tapUsage(this.usage, payload) ?? this.usage;
  }
}
