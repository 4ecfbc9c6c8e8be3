/** What a known secret is replaced with in tool output. */
export const REDACTED = "[redacted]";

/**
 * Shorter values are not redacted. Provider keys, gateway keys and OAuth tokens are 20 to 200
 * characters; a value of a few characters (a test key such as "abc", a local server's "none")
 * would otherwise turn up inside ordinary words, paths and numbers and garble every output,
 * while 8 characters of a key-like string almost never occur by chance. A real key shorter than
 * this is not protected by redaction, only by the environment policy and the read denials.
 */
export const MIN_SECRET_LENGTH = 8;

/** Feeds text that arrives in pieces; a secret split across two pieces is still replaced. */
export interface StreamRedactor {
  /** The redacted text that can be shown now; a tail that could begin a secret is held back. */
  push(chunk: string): string;
  /** What was held back, at the end of the stream (it turned out not to be a secret). */
  end(): string;
}

/**
 * Replaces every occurrence of the secrets hedge holds (provider keys, the gateway key) with
 * {@link REDACTED}: the last line of defence before tool output reaches a model, a session file
 * or an event.
 */
export class SecretRedactor {
  /** Longest first, so a secret containing another is replaced whole. */
  readonly #secrets: readonly string[];

  constructor(secrets: Iterable<string> = []) {
    const kept = new Set<string>();
    for (const secret of secrets) {
      const value = secret.trim();
      if (value.length >= MIN_SECRET_LENGTH) kept.add(value);
    }
    this.#secrets = [...kept].sort((a, b) => b.length - a.length);
  }

  /** Whether `value` holds one of the secrets. */
  contains(value: string): boolean {
    return this.#secrets.some((secret) => value.includes(secret));
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  stream(): StreamRedactor {
    let held = "";
    return {
      push: (chunk) => {
        const text = this.redact(held + chunk);
        const keep = this.#partialSecretAtEnd(text);
        held = text.slice(text.length - keep);
        return text.slice(0, text.length - keep);
      },
      end: () => {
        const rest = held;
        held = "";
        return rest;
      },
    };
  }

  /** The length of the longest end of `text` that is the beginning of a secret (not a whole one). */
  #partialSecretAtEnd(text: string): number {
    let longest = 0;
    for (const secret of this.#secrets) {
      for (let length = Math.min(secret.length - 1, text.length); length > longest; length -= 1) {
        if (text.endsWith(secret.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
