import { HedgeError, type WireFormat } from "@hedge/model-spec";
import type { ProviderConfig } from "../config-schema.js";
import type { ModelPrice } from "../routing/prices.js";
import {
  PROVIDER_PRESETS,
  classifyBaseUrl,
  type ProviderPreset,
  type ProviderClass,
} from "./presets.js";

/** A provider as the gateway uses it: preset and config merged, class and region settled. */
export interface ResolvedProvider {
  id: string;
  /** Preset name or `openai-compatible`. */
  type: string;
  title: string;
  baseUrl: string;
  wire: WireFormat;
  providerClass: ProviderClass;
  region: string;
  /** How the class was settled: `config` when declared, else derived from the URL. */
  classSource: "config" | "url";
  apiKeyEnv: string | undefined;
  /** Literal key from config, if any (never printed). */
  apiKey: string | undefined;
  models: readonly string[] | undefined;
  headers: Readonly<Record<string, string>>;
  /** Per-model price overrides from config (USD per million tokens). */
  prices: Readonly<Record<string, ModelPrice>>;
  enabled: boolean;
}

/** Merges `[providers.*]` tables with the presets they name. Unknown types are config errors. */
export function resolveProviders(
  configured: Readonly<Record<string, ProviderConfig>>,
): ResolvedProvider[] {
  return Object.entries(configured).map(([id, config]) => resolveProvider(id, config));
}

export function resolveProvider(id: string, config: ProviderConfig): ResolvedProvider {
  const type = config.type ?? (PROVIDER_PRESETS[id] ? id : "openai-compatible");
  const preset = PROVIDER_PRESETS[type];
  if (!preset && type !== "openai-compatible") {
    throw new HedgeError(
      "config_invalid",
      `providers.${id}.type: unknown provider type "${type}"`,
      {
        exitCode: 3,
        hint: `use one of: ${[...Object.keys(PROVIDER_PRESETS), "openai-compatible"].join(", ")}`,
      },
    );
  }
  const baseUrl = config.base_url ?? preset?.baseUrl;
  if (!baseUrl) {
    throw new HedgeError(
      "config_invalid",
      `providers.${id}: base_url is required for type "${type}"`,
      {
        exitCode: 3,
        hint: `add base_url = "http://127.0.0.1:8000/v1" (your server's URL) to [providers.${id}]`,
      },
    );
  }
  const derivedClass = classifyBaseUrl(baseUrl);
  const providerClass = config.class ?? derivedClass;
  return {
    id,
    type,
    title: preset?.title ?? "OpenAI-compatible server",
    baseUrl: baseUrl.replace(/\/+$/, ""),
    wire: config.wire ?? preset?.wire ?? "chat",
    providerClass,
    region: config.region ?? (providerClass === "local" ? "local" : (preset?.region ?? "unknown")),
    classSource: config.class ? "config" : "url",
    apiKeyEnv:
      config.api_key_env ?? (presetEndpoint(id, config, preset) ? preset?.keyEnv : undefined),
    apiKey: config.api_key,
    models: config.models,
    headers: config.headers ?? {},
    prices: config.prices ?? {},
    enabled: config.enabled ?? true,
  };
}

/**
 * Whether a provider entry is the preset's own endpoint: the preset's table (`[providers.anthropic]`,
 * wherever the user points it) or another table of its type left on the preset's URL. Only then
 * does the preset's conventional key variable (ANTHROPIC_API_KEY...) apply: the Anthropic key
 * never goes to `[providers.other] type = "anthropic" base_url = ...` unless that table names it.
 */
function presetEndpoint(
  id: string,
  config: ProviderConfig,
  preset: ProviderPreset | undefined,
): boolean {
  if (!preset) return false;
  if (id === preset.name || config.base_url === undefined) return true;
  return config.base_url.replace(/\/+$/, "") === preset.baseUrl.replace(/\/+$/, "");
}
