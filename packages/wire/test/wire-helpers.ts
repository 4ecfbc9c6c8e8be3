import { readFileSync } from "node:fs";
import type { CanonicalEvent, CanonicalRequest, WireFormat } from "@hedge/model-spec";
import { WIRE_CODECS } from "../src/registry.js";
import { SseParser } from "../src/sse.js";

/** Text of a spec-exact SSE fixture in test/fixtures. */
export function readFixture(name: string): string {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");
}

/** Decode an SSE text as an upstream stream of `wire`, fed in chunks of `chunkSize` characters. */
export function decodeStream(
  wire: WireFormat,
  sse: string,
  chunkSize = sse.length,
): CanonicalEvent[] {
  const parser = new SseParser();
  const decoder = WIRE_CODECS[wire].createStreamDecoder();
  const events: CanonicalEvent[] = [];
  for (let start = 0; start < sse.length; start += chunkSize) {
    for (const message of parser.push(sse.slice(start, start + chunkSize)))
      events.push(...decoder.push(message));
  }
  for (const message of parser.end()) events.push(...decoder.push(message));
  events.push(...decoder.end());
  return events;
}

/** Encode canonical events as a client stream of `wire`. */
export function encodeStream(
  wire: WireFormat,
  events: readonly CanonicalEvent[],
  request: CanonicalRequest = minimalRequest(),
  model = "client-model",
): string {
  const encoder = WIRE_CODECS[wire].createStreamEncoder(request, model);
  let text = "";
  for (const event of events) text += encoder.encode(event);
  return text + encoder.end();
}

/** The smallest valid canonical request, streaming, with usage requested. */
export function minimalRequest(): CanonicalRequest {
  return {
    model: "m",
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    stream: true,
    include_usage: true,
    metadata: {},
    dropped: [],
  };
}

/** The three wire formats. */
export const WIRES: readonly WireFormat[] = ["chat", "responses", "messages"];
