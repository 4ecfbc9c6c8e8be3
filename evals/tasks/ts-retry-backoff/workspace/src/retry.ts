export interface RetryOptions {
  retries: number;
  baseMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** Calls fn; on failure waits baseMs * 2^n and tries again, up to `retries` more times. */
export async function retry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  throw new Error("not implemented");
}
