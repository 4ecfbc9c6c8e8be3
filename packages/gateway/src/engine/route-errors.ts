import { GatewayError } from "../errors.js";
import type { ExcludedRoute } from "./route.js";
import { describeReset, RoutesUnavailableError } from "./unavailable.js";

/** Why a request has no candidate at all: policy (names the rule), no credential, or no route. */
export function noCandidate(
  model: string,
  excluded: readonly ExcludedRoute[],
  denials: readonly string[],
): GatewayError {
  if (
    denials.length > 0 &&
    denials.length === excluded.filter((route) => route.reason.startsWith("policy:")).length &&
    excluded.every((route) => route.reason.startsWith("policy:"))
  ) {
    return new GatewayError(
      "policy_denied",
      `policy denied every route for "${model}": ${denials.join("; ")}`,
      {
        status: 403,
        type: "permission_error",
        hint: "log in to the provider (hedge auth login) or allow it deliberately in [policy]",
      },
    );
  }
  const providers = [
    ...new Set(
      excluded
        .filter((route) => route.reason.startsWith("no credential"))
        .map((route) => route.provider),
    ),
  ];
  if (providers.length > 0) {
    return new GatewayError(
      "no_credential",
      `no credential for ${providers.join(", ")} (model "${model}")`,
      {
        status: 401,
        type: "authentication_error",
        hint: `run 'hedge auth login --provider ${providers[0] ?? "PROVIDER"}' or set its api_key_env variable`,
      },
    );
  }
  return new GatewayError(
    "no_route",
    `no route for "${model}": ${excluded.map((route) => `${route.route} (${route.reason})`).join("; ")}`,
    {
      status: 404,
      type: "not_found_error",
    },
  );
}

/** Every allowed route is unhealthy: names each with its reason and the earliest recovery. */
export function noHealthyRoute(
  model: string,
  excluded: readonly ExcludedRoute[],
  now: number,
): GatewayError {
  const recoveries = excluded
    .map((route) => route.until)
    .filter((until): until is number => until !== undefined);
  const earliest = recoveries.length ? Math.min(...recoveries) : undefined;
  const reasons = excluded.map((route) => `${route.route}: ${route.reason}`).join("; ");
  // Every route out for its limits (usage or a 429's cooldown): the answer is a rate limit.
  const limited =
    excluded.length > 0 &&
    excluded.every(
      (route) => route.reason.startsWith("usage:") || route.reason.startsWith("rate_limited:"),
    );
  return new RoutesUnavailableError(
    limited ? "usage_exhausted" : "no_healthy_route",
    limited
      ? `every profile for "${model}" is at its limit${earliest ? `; earliest reset ${describeReset(earliest, now)}` : ""} (${reasons})`
      : `every allowed route for "${model}" is unavailable (${reasons})${earliest ? `; earliest recovery ${new Date(earliest).toISOString()}` : ""}`,
    {
      status: limited ? 429 : 503,
      type: limited ? "rate_limit_error" : "overloaded_error",
      retryable: true,
      resetAt: earliest,
      hint: limited
        ? "wait for the reset (hedge exec --wait-for-reset), see 'hedge usage', or log in to another profile"
        : "wait for the earliest recovery, check 'hedge gateway status', or add another route (fallbacks, another profile)",
    },
  );
}
