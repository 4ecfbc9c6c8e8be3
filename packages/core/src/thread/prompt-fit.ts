import { UsageError, type ContentPart } from "@hedge/model-spec";
import { estimateTokens } from "../agent/token-estimate.js";

/** The context window hedge assumes when the config names none (Codex's default). */
export const DEFAULT_CONTEXT_WINDOW = 128_000;

/**
 * Refuses a prompt the executor's model cannot take in one request (estimated as compaction
 * estimates it), before any model call: sending it would fail at the provider, after uploading
 * it, and compaction cannot shrink the message the turn starts from.
 */
export function checkPromptFits(input: {
  prompt: string;
  images: readonly ContentPart[];
  model: string;
  contextWindow: number;
}): void {
  const tokens = estimateTokens([
    { role: "user", content: [{ type: "text", text: input.prompt }, ...input.images] },
  ]);
  if (tokens <= input.contextWindow) return;
  throw new UsageError(
    `the prompt is about ${tokens.toLocaleString("en-US")} tokens, more than the context window of "${input.model}" (${input.contextWindow.toLocaleString("en-US")} tokens)`,
    {
      code: "prompt_too_large",
      hint: "shorten it, or put large inputs in files and name them in the prompt for the agent to read; if the model takes more, set model_context_window",
    },
  );
}
