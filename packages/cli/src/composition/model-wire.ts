import type { WireFormat } from "@hedge/model-spec";
import { PROVIDER_PRESETS } from "@hedge/gateway/config";
import type { HedgeConfig } from "../config/schema.js";

/**
 * The wire format a model's requests go out in: its provider's `wire`, else the preset's, else
 * Chat Completions (what an OpenAI-compatible server speaks). Aliases are followed once.
 */
export function wireOfModel(
  config: Pick<HedgeConfig, "providers" | "aliases">,
  model: string,
): { model: string; provider: string; wire: WireFormat } {
  const resolved = config.aliases[model] ?? model;
  const provider = resolved.split("/")[0] ?? resolved;
  const table = config.providers[provider];
  const preset = PROVIDER_PRESETS[table?.type ?? provider];
  return { model: resolved, provider, wire: table?.wire ?? preset?.wire ?? "chat" };
}
