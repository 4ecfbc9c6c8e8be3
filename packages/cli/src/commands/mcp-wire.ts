import type { CanonicalRequest, CanonicalTool, WireFormat } from "@hedge/model-spec";
import { codecFor } from "@hedge/wire";
import type { HedgeConfig } from "../config/schema.js";
import { wireOfModel } from "../composition/model-wire.js";

/** How a model's requests carry one tool: the codec's own encoding of a request with that tool. */
export interface WireSerializer {
  model: string;
  wire: WireFormat;
  serialize: (spec: CanonicalTool) => unknown;
}

/**
 * The serialiser of the wire `model` is routed to: a request holding just the tool goes through
 * the same codec the gateway sends with, and its `tools[0]` is what the tool costs.
 */
export async function wireSerializer(config: HedgeConfig, model: string): Promise<WireSerializer> {
  const resolved = wireOfModel(config, model);
  const codec = codecFor(resolved.wire);
  const upstreamModel = resolved.model.slice(resolved.provider.length + 1) || resolved.model;
  const serialize = (spec: CanonicalTool): unknown => {
    const request: CanonicalRequest = {
      model: resolved.model,
      messages: [{ role: "user", content: [{ type: "text", text: "" }] }],
      tools: [spec],
      tool_choice: "auto",
      stream: true,
      metadata: {},
      dropped: [],
    };
    const body = codec.encodeRequest(request, upstreamModel);
    const tools = body["tools"];
    return Array.isArray(tools) ? tools[0] : spec;
  };
  return Promise.resolve({ model: resolved.model, wire: resolved.wire, serialize });
}
