import { GatewayError, formatWait } from "@hedge/model-spec";

/**
 * No route can take the request now, but some will again: `resetAt` is the earliest time one of
 * them recovers (a rate-limit window's reset, a cooldown's end). `--wait-for-reset` waits for it.
 */
export class RoutesUnavailableError extends GatewayError {
  override name = "RoutesUnavailableError";
  readonly resetAt: number | undefined;

  constructor(
    code: string,
    message: string,
    options: ConstructorParameters<typeof GatewayError>[2] & { resetAt?: number | undefined },
  ) {
    super(code, message, { ...options, retryAt: options.resetAt });
    this.resetAt = options.resetAt;
  }
}

/** The earliest reset an error names, when it is a RoutesUnavailableError with one. */
export function resetAtOf(error: unknown): number | undefined {
  return error instanceof RoutesUnavailableError ? error.resetAt : undefined;
}

/**
 * Every route was out for its limits (usage windows, declared limits, a 429's or a quota's
 * cooldown): a 429 naming the earliest reset. `reasons` names each route with its reason.
 */
export function usageExhausted(
  model: string,
  reasons: string,
  earliest: number | undefined,
  now: number,
): RoutesUnavailableError {
  return new RoutesUnavailableError(
    "usage_exhausted",
    `every profile for "${model}" is at its limit${earliest === undefined ? "" : `; earliest reset ${describeReset(earliest, now)}`} (${reasons})`,
    {
      status: 429,
      type: "rate_limit_error",
      retryable: true,
      resetAt: earliest,
      hint: "wait for the reset (hedge exec --wait-for-reset), see 'hedge usage', or log in to another profile",
    },
  );
}

/** `2030-01-01T00:05:00.000Z (in 5m)`. */
export function describeReset(resetAt: number, now: number): string {
  return `${new Date(resetAt).toISOString()} (in ${formatWait(resetAt - now)})`;
}
