/** A tokenizer: counts and cuts text in tokens. */
export interface Tokenizer {
  /** Human-readable method, shown next to every number: it is an estimate for most models. */
  readonly method: string;
  count(text: string): number;
  /** The token count when `text` has at most `limit` tokens, else false (stops early). */
  within(text: string, limit: number): number | false;
  /** The first `tokens` tokens of `text` (`fromEnd`: the last). */
  cut(text: string, tokens: number, fromEnd?: boolean): string;
}

let loading: Promise<Tokenizer> | undefined;

/**
 * o200k_base (gpt-tokenizer), loaded on first use: its tables are megabytes, and most runs
 * of hedge never count an MCP tool. For non-OpenAI models it is an estimate.
 */
export function loadTokenizer(): Promise<Tokenizer> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then((o200k) => ({
    method: "o200k",
    count: (text) => o200k.countTokens(text),
    within: (text, limit) => o200k.isWithinTokenLimit(text, limit),
    cut: (text, tokens, fromEnd = false) => {
      // Tokenize only a window that surely holds `tokens` tokens (a token is at least a char).
      const window = fromEnd ? text.slice(-tokens * 16) : text.slice(0, tokens * 16);
      const encoded = o200k.encode(window);
      return o200k.decode(fromEnd ? encoded.slice(-tokens) : encoded.slice(0, tokens));
    },
  }));
  return loading;
}
