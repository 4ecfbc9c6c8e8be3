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
  private readonly decoder = new TextDecoder();
  private readonly buffered: string[] = [];

  constructor(
    private readonly codec: WireCodec,
    stream: boolean,
  ) {
    this.parser = stream ? new SseParser() : undefined;
  }

  push(chunk: Uint8Array): void {
    const text = this.decoder.decode(chunk, { stream: true });
    if (!this.parser) {
      this.buffered.push(text);
      return;
    }
    for (const message of this.parser.push(text)) {
      if (message.data.includes('"usage"')) this.take(message.data);
    }
  }

  end(): CanonicalUsage | undefined {
    if (!this.parser) this.take(this.buffered.join("") + this.decoder.decode());
    return this.usage;
  }

  private take(text: string): void {
    const payload = parseJsonObject(text);
    if (payload) this.usage = this.codec.tapUsage(this.usage, payload) ?? this.usage;
  }
}
