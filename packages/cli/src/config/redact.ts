import { isPlainObject } from "./merge.js";

export const REDACTED = "<redacted>";
const SECRET_KEY = /(^|_)(api_key|key|token|secret|password|authorization)$/i;

/**
 * A copy of a config value safe to print: secret-named keys, every header value and any password
 * in a URL are replaced. `*_env` keys name a variable, not a secret, and are kept.
 */
export function redactConfig(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((item) => redactConfig(item, key));
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(value)) {
      // Header values are credentials as often as not (`headers`, MCP's `http_headers`).
      copy[childKey] =
        key === "headers" || key === "http_headers" ? REDACTED : redactConfig(child, childKey);
    }
    return copy;
  }
  if (typeof value === "string") {
    if (SECRET_KEY.test(key) && !key.endsWith("_env")) return REDACTED;
    return redactUrlPassword(value);
  }
  return value;
}

function redactUrlPassword(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(text)) return text;
  try {
    const url = new URL(text);
    if (!url.password) return text;
    url.password = "redacted";
    return url.toString();
  } catch {
    return text;
  }
}
