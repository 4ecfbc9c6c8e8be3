import { z } from "zod";

/**
 * A provider's own count of a request's input tokens (Anthropic's `count_tokens`), or `null`
 * when the provider the model routes to offers no count endpoint: the caller then estimates.
 */
export const tokenCountViewSchema = z.object({
  count: z
    .object({
      inputTokens: z.number().int().nonnegative(),
      /** The provider that counted (e.g. `anthropic`). */
      provider: z.string().min(1).max(256),
      /** The model id the provider counted for. */
      model: z.string().min(1).max(512),
    })
    .nullable(),
});
/** A provider's own count of a request's input tokens, or `null` (no count endpoint). */
export type TokenCountView = z.infer<typeof tokenCountViewSchema>;
