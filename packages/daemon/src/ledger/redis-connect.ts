import type { Redis, RedisOptions } from "ioredis";
import { redactUrlPassword as redactUrl } from "@hedge/auth";
import { HedgeError } from "@hedge/model-spec";

/** A Redis URL fit for messages: the password, if any, is replaced by `***` (shared masker). */
export { redactUrl };

/** True for the store values that name Redis. */
export function isRedisUrl(store: string): boolean {
  return /^rediss?:\/\//.test(store);
}

/**
 * Connects to `url` and waits for it to answer, or throws one line naming the redacted URL and
 * what to do. `options` are ioredis options (BullMQ's connections need their own).
 */
export async function connectRedis(url: string, options: RedisOptions = {}): Promise<Redis> {
  const shown = redactUrl(url);
  const connectTimeoutMs = 2000;
  // Through `default`: ioredis is CommonJS, and bundled into the hedge binary it has no named
  // exports (see the gateway's Redis store).
  const { Redis } = (await import("ioredis")).default;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    ...options,
  });
  let lastError: Error | undefined;
  // Without a listener ioredis prints every reconnect failure.
  client.on("error", (error: Error) => (lastError = error));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${connectTimeoutMs} ms`)),
          connectTimeoutMs + 500,
        );
      }),
    ]);
  } catch (error) {
    client.disconnect();
    const detail = (lastError ?? (error as Error)).message.split("\n")[0] ?? "";
    if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(detail)) {
      throw new HedgeError("store_auth_failed", `Redis at ${shown} refused the login (${detail})`, {
        hint: 'put the right password in daemon.store: "redis://:PASSWORD@host:port"',
      });
    }
    throw new HedgeError("store_unreachable", `Redis at ${shown} is unreachable (${detail})`, {
      hint: `start Redis, or fix daemon.store in $HEDGE_HOME/config.toml (remove it to use the local ledger); check with: redis-cli -u "${shown}" ping`,
    });
  } finally {
    clearTimeout(timer);
  }
  return client;
}
