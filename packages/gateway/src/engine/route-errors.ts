import { GatewayError } from "@hedge/model-spec";
import type { ExcludedRoute } from "./route.js";
import { RoutesUnavailableError, usageExhausted } from "./unavailable.js";

/**
 * Why a request has no candidate at all: policy (names the rule), no credential (in the role's
 * profile `pool`, when it has one), or no route.
 */
export function noCandidate(
  model: string,
  excluded: readonly ExcludedRoute[],
  denials: readonly string[],
  pool?: readonly string[],
): GatewayError {
  if (
    denials.length > 0 &&
    denials.length === excluded.filter((route) => route.kind === "policy").length &&
    excluded.every((route) => route.kind === "policy")
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
      excluded.filter((route) => route.kind === "no_credential").map((route) => route.provider),
    ),
  ];
  if (providers.length > 0) {
    const provider = providers[0] ?? "PROVIDER";
    return new GatewayError(
      "no_credential",
      pool
        ? `no credential for ${providers.join(", ")} in the profile pool [${pool.join(", ")}] (model "${model}")`
        : `no credential for ${providers.join(", ")} (model "${model}")`,
      {
        status: 401,
        type: "authentication_error",
        hint: pool
          ? `log in one of them (hedge auth login --provider ${provider} --profile ${pool[0] ?? "NAME"}) or change the role's pool ([roles] profiles)`
          : `run 'hedge auth login --provider ${provider}' or set its api_key_env variable`,
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
  // Every route out for its limits (usage, a 429's or a quota's cooldown): a rate limit.
  if (excluded.length > 0 && excluded.every((route) => route.kind === "limited"))
    return usageExhausted(model, reasons, earliest, now);
  // Every route refused by its provider (a key marked invalid, a permission it lacks): waiting
  // will not help, and the caller's own gateway key is not the one refused.
  if (excluded.length > 0 && excluded.every((route) => route.kind === "refused"))
    return new GatewayError(
      "routes_refused",
      `every route for "${model}" is refused (${reasons})`,
      {
        status: 403,
        type: "permission_error",
        hint: "see 'hedge gateway status'; after a new key (hedge auth login) or a granted permission, 'hedge gateway reset ROUTE' clears the mark",
      },
    );
  return new RoutesUnavailableError(
    "no_healthy_route",
    `every allowed route for "${model}" is unavailable (${reasons})${earliest ? `; earliest recovery ${new Date(earliest).toISOString()}` : ""}`,
    {
      status: 503,
      type: "overloaded_error",
      retryable: true,
      resetAt: earliest,
      hint: "wait for the earliest recovery, check 'hedge gateway status', or add another route (fallbacks, another profile)",
    },
  );
}
