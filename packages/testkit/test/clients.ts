import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import type { ScriptedUpstream } from "../src/index.js";

/** An official OpenAI client pointed at the upstream, without retries so faults surface. */
export function openAiClient(
  upstream: ScriptedUpstream,
  options: { quiet?: boolean } = {},
): OpenAI {
  return new OpenAI({
    baseURL: `${upstream.url}/v1`,
    apiKey: "sk-test",
    maxRetries: 0,
    // Quiet clients do not log the bad chunks that fault tests send on purpose.
    logLevel: options.quiet === true ? "off" : "warn",
  });
}

/** An official Anthropic client pointed at the upstream, without retries so faults surface. */
export function anthropicClient(
  upstream: ScriptedUpstream,
  options: { quiet?: boolean } = {},
): Anthropic {
  return new Anthropic({
    baseURL: upstream.url,
    apiKey: "sk-ant-test",
    maxRetries: 0,
    logLevel: options.quiet === true ? "off" : "warn",
  });
}

/** Drains an async iterable, returning what it yielded. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
