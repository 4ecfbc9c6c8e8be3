import { describe, expect, it } from "vitest";
import { BUILT_IN_PRICES, costUsd, PRICE_TABLE_DATE, priceFor } from "./prices.js";

describe("priceFor", () => {
  it("knows the presets' well-known models", () => {
    const expected: Record<string, string[]> = {
      openai: [
        "gpt-5",
        "gpt-5-codex",
        "gpt-5-mini",
        "gpt-4.1",
        "gpt-4o",
        "gpt-4o-mini",
        "o3",
        "o4-mini",
      ],
      anthropic: [
        "claude-opus-4-1",
        "claude-sonnet-4-5",
        "claude-sonnet-4",
        "claude-haiku-4-5",
        "claude-3-5-haiku",
      ],
      deepseek: ["deepseek-chat", "deepseek-reasoner"],
      qwen: ["qwen-max", "qwen-plus", "qwen-turbo"],
      glm: ["glm-4.6", "glm-4.5"],
    };
    for (const [provider, models] of Object.entries(expected)) {
      for (const model of models) {
        const price = priceFor(provider, model);
        expect(price, `${provider}/${model}`).toBeDefined();
        expect(price?.output).toBeGreaterThanOrEqual(price?.input ?? Infinity);
        expect(price?.cached_input ?? 0).toBeLessThan(price?.input ?? 0);
      }
    }
    expect(PRICE_TABLE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(priceFor("anthropic", "claude-sonnet-4-5")).toEqual({
      input: 3,
      output: 15,
      cached_input: 0.3,
    });
  });

  it("finds dated and -latest model ids under their base name", () => {
    expect(priceFor("anthropic", "claude-sonnet-4-5-20250929")).toBe(
      BUILT_IN_PRICES["anthropic"]?.["claude-sonnet-4-5"],
    );
    expect(priceFor("anthropic", "claude-3-5-haiku-latest")?.input).toBe(0.8);
    expect(priceFor("openai", "gpt-4o-2024-08-06")?.input).toBe(2.5);
  });

  it("prefers the config override, by exact or undated name", () => {
    const overrides = { "gpt-5": { input: 1, output: 2 } };
    expect(priceFor("openai", "gpt-5", overrides)).toEqual({ input: 1, output: 2 });
    expect(priceFor("openai", "gpt-5-2025-08-07", overrides)).toEqual({ input: 1, output: 2 });
    expect(priceFor("lab", "my-model", { "my-model": { input: 0, output: 0 } })).toEqual({
      input: 0,
      output: 0,
    });
  });

  it("prices OpenRouter's first-party models at the vendor's list price", () => {
    expect(priceFor("openrouter", "anthropic/claude-sonnet-4.5")?.output).toBe(15);
    expect(priceFor("openrouter", "openai/gpt-4.1")?.input).toBe(2);
    // Third-party hosts set their own prices.
    expect(priceFor("openrouter", "deepseek/deepseek-chat")).toBeUndefined();
  });

  it("is undefined for unknown providers and models, including prototype keys", () => {
    expect(priceFor("openai", "gpt-99")).toBeUndefined();
    expect(priceFor("openai-compatible", "gpt-5")).toBeUndefined();
    expect(priceFor("openai", "constructor")).toBeUndefined();
    expect(priceFor("__proto__", "gpt-5")).toBeUndefined();
  });
});

describe("costUsd", () => {
  it("bills cached input at the cache price and the rest at list price", () => {
    const price = { input: 3, output: 15, cached_input: 0.3 };
    const cost = costUsd(price, {
      input_tokens: 1_000_000,
      output_tokens: 100_000,
      cached_input_tokens: 800_000,
    });
    // 200k x 3 + 800k x 0.3 + 100k x 15, per million.
    expect(cost).toBeCloseTo(0.6 + 0.24 + 1.5);
  });

  it("bills cached tokens at the input price when the model has no cache price", () => {
    expect(
      costUsd(
        { input: 2, output: 8 },
        { input_tokens: 500_000, output_tokens: 0, cached_input_tokens: 500_000 },
      ),
    ).toBeCloseTo(1);
  });

  it("treats bad counts as zero and never bills more cached than input tokens", () => {
    const price = { input: 1, output: 1, cached_input: 0.1 };
    expect(costUsd(price, { input_tokens: Number.NaN, output_tokens: -1 })).toBe(0);
    expect(
      costUsd(price, { input_tokens: 1_000_000, output_tokens: 0, cached_input_tokens: 5_000_000 }),
    ).toBeCloseTo(0.1);
  });
});
