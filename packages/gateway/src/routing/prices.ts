import type { z } from "zod";
import type { priceSchema } from "../config-schema.js";

/** USD per million tokens; `cached_input` is the price of input tokens read from a cache. */
export type ModelPrice = z.infer<typeof priceSchema>;

/** Token counts to price; `cached_input_tokens` is a subset of `input_tokens`. */
export interface PricedUsage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens?: number;
}

/** The day the built-in prices were last checked against the providers' price pages. */
export const PRICE_TABLE_DATE = "2025-10-20";

/**
 * Built-in prices by provider preset (`ResolvedProvider.type`) and model, in USD per million
 * tokens. Standard (non-batch, default-tier) list prices; long-context
 * surcharges, cache writes, thinking-mode output of Qwen and regional price lists (Qwen and GLM
 * mainland China, billed in CNY) are not modelled. Override any of them with
 * `[providers.NAME.prices]`.
 *
 * Sources: list prices of openai.com/api/pricing, docs.anthropic.com (models overview /
 * pricing), api-docs.deepseek.com (V3.2-Exp prices from 2025-09-29), Alibaba Cloud Model Studio
 * (international, Singapore; non-thinking output; implicit cache at 20% of input) and docs.z.ai,
 * as known on PRICE_TABLE_DATE.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, Readonly<Record<string, ModelPrice>>>> = {
  openai: {
    "gpt-5": { input: 1.25, output: 10, cached_input: 0.125 },
    "gpt-5-codex": { input: 1.25, output: 10, cached_input: 0.125 },
    "gpt-5-mini": { input: 0.25, output: 2, cached_input: 0.025 },
    "gpt-4.1": { input: 2, output: 8, cached_input: 0.5 },
    "gpt-4o": { input: 2.5, output: 10, cached_input: 1.25 },
    "gpt-4o-mini": { input: 0.15, output: 0.6, cached_input: 0.075 },
    o3: { input: 2, output: 8, cached_input: 0.5 },
    "o4-mini": { input: 1.1, output: 4.4, cached_input: 0.275 },
  },
  anthropic: {
    // Cached input is the cache-read price; cache writes (1.25x input) are not modelled.
    "claude-opus-4-1": { input: 15, output: 75, cached_input: 1.5 },
    // Prompts over 200k tokens (1M context beta) cost 6 / 22.5; not modelled.
    "claude-sonnet-4-5": { input: 3, output: 15, cached_input: 0.3 },
    "claude-sonnet-4": { input: 3, output: 15, cached_input: 0.3 },
    "claude-haiku-4-5": { input: 1, output: 5, cached_input: 0.1 },
    "claude-3-5-haiku": { input: 0.8, output: 4, cached_input: 0.08 },
  },
  deepseek: {
    "deepseek-chat": { input: 0.28, output: 0.42, cached_input: 0.028 },
    "deepseek-reasoner": { input: 0.28, output: 0.42, cached_input: 0.028 },
  },
  qwen: {
    "qwen-max": { input: 1.6, output: 6.4, cached_input: 0.32 },
    "qwen-plus": { input: 0.4, output: 1.2, cached_input: 0.08 },
    "qwen-turbo": { input: 0.05, output: 0.2, cached_input: 0.01 },
  },
  glm: {
    "glm-4.6": { input: 0.6, output: 2.2, cached_input: 0.11 },
    "glm-4.5": { input: 0.6, output: 2.2, cached_input: 0.11 },
  },
};

// OpenRouter passes first-party models through at the vendor's list price; other vendors'
// models on OpenRouter are served by third-party hosts at their own prices.
const OPENROUTER_FIRST_PARTY: Readonly<Record<string, string>> = {
  openai: "openai",
  anthropic: "anthropic",
};

/**
 * The price of `model` on a provider: the configured override (`[providers.NAME.prices]`,
 * keyed by the model as addressed or by its undated name) first, then the built-in table of
 * the provider's preset (`providerType`, i.e. `ResolvedProvider.type`). Dated and `-latest`
 * model ids (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`) find their base model's price;
 * on OpenRouter, `anthropic/claude-sonnet-4.5` finds Anthropic's. Undefined when unknown.
 */
export function priceFor(
  providerType: string,
  model: string,
  overrides: Readonly<Record<string, ModelPrice>> = {},
): ModelPrice | undefined {
  const base = undatedModel(model);
  const override = ownValue(overrides, model) ?? ownValue(overrides, base);
  if (override) return override;
  const builtIn = ownValue(BUILT_IN_PRICES, providerType);
  if (builtIn) return ownValue(builtIn, base);
  if (providerType === "openrouter") {
    const slash = model.indexOf("/");
    const vendor = ownValue(OPENROUTER_FIRST_PARTY, model.slice(0, slash));
    if (slash > 0 && vendor !== undefined) {
      const vendorModel = undatedModel(model.slice(slash + 1));
      const table = ownValue(BUILT_IN_PRICES, vendor);
      // OpenRouter writes versions with dots (claude-sonnet-4.5); Anthropic with dashes.
      return table && (ownValue(table, vendorModel) ?? ownValue(table, dotsToDashes(vendorModel)));
    }
  }
  return undefined;
}

/**
 * Cost in USD of one response. Cached input tokens are billed at `cached_input` (at the input
 * price when the model has none); the rest of the input at `input`. Counts that are not finite
 * and non-negative count as zero.
 */
export function costUsd(price: ModelPrice, usage: PricedUsage): number {
  const input = count(usage.input_tokens);
  const cached = Math.min(count(usage.cached_input_tokens), input);
  const output = count(usage.output_tokens);
  const cachedPrice = price.cached_input ?? price.input;
  return ((input - cached) * price.input + cached * cachedPrice + output * price.output) / 1e6;
}

function count(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}

function undatedModel(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/-latest$/, "")
    .replace(/-(?:\d{8}|\d{4}-\d{2}-\d{2})$/, "");
}

function dotsToDashes(model: string): string {
  return model.replace(/(\d)\.(\d)/g, "$1-$2");
}

// Config-supplied records are plain objects; `constructor` or `__proto__` are not models.
function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
