import type { TryResult } from "./attempt-runner.js";
import type { UpstreamResponse } from "./upstream.js";

/**
 * One upstream call as a TryResult: 2xx is ok (body unread); an error status reads the body for
 * classification; a network failure carries its code.
 */
export async function tryUpstream(
  call: () => Promise<UpstreamResponse>,
): Promise<TryResult<UpstreamResponse>> {
  let response: UpstreamResponse;
  try {
    response = await call();
  } catch (error) {
    const code =
      (error as { code?: string; name?: string }).code ?? (error as { name?: string }).name;
    return {
      ok: false,
      ...(code ? { errorCode: code } : {}),
      message: error instanceof Error ? error.message : String(error),
    };
  }
  if (response.statusCode < 400) return { ok: true, value: response };
  const body = await response.body.text().catch(() => "");
  return {
    ok: false,
    status: response.statusCode,
    body,
    headers: response.headers,
    message: `answered ${response.statusCode}`,
    value: response,
  };
}

/** Response headers of a successful try (an upstream response), if the value carries them. */
export function headersOf(value: unknown): UpstreamResponse["headers"] | undefined {
  return typeof value === "object" && value !== null && "headers" in value
    ? (value as UpstreamResponse).headers
    : undefined;
}
