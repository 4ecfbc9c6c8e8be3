import type { CanonicalError, CanonicalEvent, CanonicalUsage } from "../canonical/events.js";
import type { CanonicalResponse } from "../canonical/collect.js";
import type { CanonicalRequest } from "../canonical/request.js";
import type { StreamDecoder, StreamEncoder } from "../wire/codec.js";
import type { JsonObject } from "../wire/json.js";

/** Everything the engine needs of one wire format, behind one interface. */
export interface WireCodec {
  decodeRequest(body: unknown): CanonicalRequest;
  encodeRequest(request: CanonicalRequest, upstreamModel: string): JsonObject;
  createStreamDecoder(): StreamDecoder;
  /** `request` is the client's request (Chat's `include_usage`, Responses echo fields). */
  createStreamEncoder(request: CanonicalRequest | undefined): StreamEncoder;
  decodeResponse(json: unknown): CanonicalEvent[];
  encodeResponse(response: CanonicalResponse, model: string): JsonObject;
  /** An error body in this wire's shape. */
  encodeError(status: number, type: string, message: string): JsonObject;
  /** A mid-stream error frame in this wire's shape. */
  encodeErrorFrame(status: number, type: string, message: string): string;
  /** Reads an upstream error body of this wire. */
  decodeError(status: number, body: string): CanonicalError;
  /**
   * Pass-through tap: usage carried by one parsed payload (an SSE data object or a whole JSON
   * response), merged into what was seen before; undefined when it carries none.
   */
  tapUsage(previous: CanonicalUsage | undefined, payload: JsonObject): CanonicalUsage | undefined;
}
