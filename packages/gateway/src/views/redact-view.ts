/** What a secret becomes in a view. */
export const REDACTED = "[redacted]";

/**
 * Key-shaped words, for keys the gateway does not hold (a caller's own BYOK key echoed in a
 * provider's error, then kept as a cooldown's reason): `sk-…`, `sk-ant-…`, Google `AIza…`,
 * GitHub, Hugging Face, Groq and xAI tokens.
 */
const KEY_SHAPED =
  /\b(?:sk|rk|pk)-[A-Za-z0-9_-]{16,}|\bAIza[0-9A-Za-z_-]{30,}|\b(?:ghp|gho|ghs|hf|gsk|xai)[-_][A-Za-z0-9_-]{16,}/g;

/** Shorter strings would match ordinary words; no provider key is this short. */
const MIN_SECRET_LENGTH = 8;

/**
 * `view` with every string scrubbed of the given secrets and of key-shaped words. Views carry
 * texts that came from providers (failure reasons): one may quote the key it refused.
 */
export function redactView<T>(view: T, secrets: readonly string[]): T {
  const scrub = textScrubber(secrets);
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return scrub(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, walk(field)]));
    }
    return value;
  };
  return walk(view) as T;
}

/**
 * A function that scrubs a text of the given secrets and of key-shaped words: for a provider's
 * error text before it becomes a failure reason, a log line or an error a caller reads.
 */
export function textScrubber(secrets: readonly string[]): (text: string) => string {
  const known = [...new Set(secrets)]
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let clean = text;
    for (const secret of known) {
      if (clean.includes(secret)) clean = clean.split(secret).join(REDACTED);
    }
    return clean.replace(KEY_SHAPED, REDACTED);
  };
}
