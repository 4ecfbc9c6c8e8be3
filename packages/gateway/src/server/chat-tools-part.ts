import { kindAt, notRaw, stringSpan, type RawJson, type Span } from "./json-raw.js";
import { ByteOutput } from "./byte-output.js";

/**
 * The `,"tools":[…]` part of a Chat body written from Messages tools (empty without tools), and
 * whether any tool had `cache_control` (the translation reports it dropped).
 */
export interface ToolsPart {
  bytes: Buffer;
  cacheControl: boolean;
}

const NO_TOOLS: ToolsPart = { bytes: Buffer.alloc(0), cacheControl: false };

/**
 * Agents send the same tools on every request of a session (Claude Code's are most of its
 * body): the part written for a tools array is kept for its exact bytes, so an identical array
 * costs one byte comparison. The part is a function of those bytes alone.
 */
const toolsCache: { key: Buffer; part: ToolsPart }[] = [];
/**
 * Kept arrays (sessions with different MCP servers send different tools). Few on purpose: more
 * kept ~85 KB parts churning through the old generation cost more GC than they save when
 * arrays rotate (measured with 70 rotating arrays: 64 kept was slower than 16).
 */
const TOOLS_CACHE_ENTRIES = 16;
/** What the kept arrays and parts may hold in all; the least recently used go first. */
const TOOLS_CACHE_BUDGET_BYTES = 4 * 1024 * 1024;
/** Larger arrays are not kept. */
const TOOLS_CACHE_MAX_BYTES = 512 * 1024;
let toolsCacheBytes = 0;

/**
 * Fingerprints of tools arrays seen once: an array is kept only on its second sighting, so
 * arrays that never come back (one-off requests) do not churn the kept ones out, nor the memory.
 * A fingerprint that collides only admits an array early: a reuse still compares every byte.
 */
const sightings = new Set<string>();
const SIGHTINGS_MAX = 4096;

function seenBefore(raw: Buffer, span: Span): boolean {
  const length = span.end - span.start;
  let hash = 0x811c9dc5;
  // FNV-1a over three short samples (start, middle, end): cheap, and enough to tell arrays apart.
  for (const from of [span.start, span.start + (length >>> 1) - 32, span.end - 64])
    for (let at = Math.max(from, span.start); at < Math.min(from + 64, span.end); at += 1)
      hash = Math.imul(hash ^ (raw[at] as number), 0x01000193);
  const fingerprint = `${length}:${hash >>> 0}`;
  if (sightings.has(fingerprint)) return true;
  if (sightings.size >= SIGHTINGS_MAX) sightings.clear();
  sightings.add(fingerprint);
  return false;
}

export function toolsPart(json: RawJson, span: Span | undefined): ToolsPart {
  if (span === undefined) return NO_TOOLS;
  const raw = json.raw;
  const length = span.end - span.start;
  for (let index = toolsCache.length - 1; index >= 0; index -= 1) {
    const entry = toolsCache[index] as (typeof toolsCache)[number];
    if (
      entry.key.length === length &&
      raw.compare(entry.key, 0, length, span.start, span.end) === 0
    ) {
      // Most recently used last.
      if (index < toolsCache.length - 1) toolsCache.push(...toolsCache.splice(index, 1));
      return entry.part;
    }
  }
  const tools = toolsOf(json, span);
  if (tools.length === 0) return NO_TOOLS;
  const out = new ByteOutput(length + tools.length * 64 + 16);
  out.text(',"tools":[');
  let cacheControl = false;
  tools.forEach((tool, index) => {
    if (tool.cacheControl) cacheControl = true;
    out.text(`${index > 0 ? "," : ""}{"type":"function","function":{"name":`);
    out.copy(raw, tool.name);
    out.text(',"parameters":');
    out.copy(raw, tool.parameters);
    if (tool.description !== undefined) {
      out.text(',"description":');
      out.copy(raw, tool.description);
    }
    out.text("}}");
  });
  out.text("]");
  const part = { bytes: Buffer.from(out.done()), cacheControl };
  if (length <= TOOLS_CACHE_MAX_BYTES && seenBefore(raw, span)) {
    const entry = { key: Buffer.from(raw.subarray(span.start, span.end)), part };
    toolsCache.push(entry);
    toolsCacheBytes += entry.key.length + part.bytes.length;
    while (toolsCache.length > TOOLS_CACHE_ENTRIES || toolsCacheBytes > TOOLS_CACHE_BUDGET_BYTES) {
      const evicted = toolsCache.shift() as (typeof toolsCache)[number];
      toolsCacheBytes -= evicted.key.length + evicted.part.bytes.length;
    }
  }
  return part;
}

interface RawTool {
  name: Span;
  description: Span | undefined;
  parameters: Span;
  cacheControl: boolean;
}

/**
 * Tools, checked as the decoder's schema checks them: a tool the decoder would drop (hosted, no
 * schema) or refuse gives up, and a schema is copied only when its bytes are the value
 * JSON.parse → JSON.stringify would send.
 */
function toolsOf(json: RawJson, span: Span | undefined): RawTool[] {
  const raw = json.raw;
  if (span === undefined) return [];
  const items = json.itemsAt(span.start) ?? notRaw();
  return items.map((item) => {
    const members = json.membersAt(item.start) ?? notRaw();
    const type = members.get("type");
    if (type !== undefined && json.valueOf(type) !== "custom") notRaw();
    const name = stringSpan(raw, members.get("name")) ?? notRaw();
    const description = members.get("description");
    if (description !== undefined && raw[description.start] !== 0x22) notRaw();
    const parameters = members.get("input_schema") ?? notRaw();
    if (kindAt(raw, parameters.start) !== "object") notRaw();
    json.checkCopyable(parameters);
    return { name, description, parameters, cacheControl: members.has("cache_control") };
  });
}
