import type { JsonObject } from "@hedge/wire";
import type { JsonTape, MemberSpan } from "./json-scan.js";

/** The JSON kind of a value, told by its first byte. */
export type JsonKind = "object" | "array" | "string" | "number" | "boolean" | "null";

/**
 * Top-level members routing reads. When one appears twice, JSON.parse (and so routing) takes the
 * last, but an upstream's parser may take the first: the body is then re-serialised, so the
 * upstream sees one value for each, the one routing saw.
 */
const ROUTING_KEYS = ["model", "stream", "max_tokens", "max_output_tokens", "messages", "input"];

/**
 * A request body as received, checked as JSON (`scanJson`) but not built: routing reads single
 * top-level members, pass-through forwards the bytes with only the model's value replaced, and
 * the whole object is parsed only when something needs it (a translation). A body that can only
 * be translated (no provider speaks its wire) is parsed at once instead (`parsed`): scanning it
 * first would check it twice.
 */
export class RequestBody {
  private parsed: JsonObject | undefined;
  private readonly members: ReadonlyMap<string, MemberSpan>;
  private readonly scanned: boolean;

  constructor(
    /** The bytes as received (valid JSON, an object). */
    readonly raw: Buffer,
    /** Where each top-level member's value lies; undefined when the body comes parsed. */
    members: ReadonlyMap<string, MemberSpan> | undefined,
    parsed?: JsonObject,
    /** Where each nested string, array and object ends, when the scan wrote a tape. */
    readonly tape?: JsonTape,
  ) {
    this.members = members ?? new Map();
    this.scanned = members !== undefined;
    this.parsed = parsed;
  }

  /** Where each top-level member lies in `raw`; undefined when the body came parsed, not scanned. */
  get spans(): ReadonlyMap<string, MemberSpan> | undefined {
    return this.scanned ? this.members : undefined;
  }

  /** A top-level member's kind, from its first byte, without reading it; undefined when absent. */
  kind(key: string): JsonKind | undefined {
    if (this.parsed !== undefined) return kindOf(this.parsed[key]);
    const span = this.members.get(key);
    if (span === undefined) return undefined;
    switch (this.raw[span.start]) {
      case 0x7b:
        return "object";
      case 0x5b:
        return "array";
      case 0x22:
        return "string";
      case 0x74:
      case 0x66:
        return "boolean";
      case 0x6e:
        return "null";
      default:
        return "number";
    }
  }

  /** A top-level member's value, as JSON.parse of the whole body would give it (the last one). */
  value(key: string): unknown {
    if (this.parsed !== undefined) return this.parsed[key];
    const span = this.members.get(key);
    if (span === undefined) return undefined;
    return JSON.parse(this.raw.toString("utf8", span.start, span.end)) as unknown;
  }

  /** A top-level string member, or undefined when absent or not a string. */
  string(key: string): string | undefined {
    return this.kind(key) === "string" ? (this.value(key) as string) : undefined;
  }

  /** The whole body as an object, parsed on first use. */
  get object(): JsonObject {
    this.parsed ??= JSON.parse(this.raw.toString("utf8")) as JsonObject;
    return this.parsed;
  }

  /**
   * The body to send with `model` as its model: the bytes as received with only the model's value
   * replaced (the same bytes when it is unchanged), or, when a member routing reads appears more
   * than once, the object re-serialised with one of each (see `ROUTING_KEYS`).
   */
  withModel(model: string): Buffer | string {
    const span = this.members.get("model");
    if (span === undefined || ROUTING_KEYS.some((key) => (this.members.get(key)?.count ?? 0) > 1))
      return JSON.stringify({ ...this.object, model });
    if (this.string("model") === model) return this.raw;
    return Buffer.concat([
      this.raw.subarray(0, span.start),
      jsonString(model),
      this.raw.subarray(span.end),
    ]);
  }
}

function kindOf(value: unknown): JsonKind | undefined {
  if (value === undefined) return undefined;
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  return type === "string" || type === "number" || type === "boolean" ? type : "object";
}

/** A model name as a JSON string in bytes, made once per name. */
function jsonString(model: string): Buffer {
  let bytes = jsonStrings.get(model);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(model));
    if (jsonStrings.size >= 10_000) jsonStrings.clear();
    jsonStrings.set(model, bytes);
  }
  return bytes;
}

const jsonStrings = new Map<string, Buffer>();
