import { HedgeError } from "@hedge/auth";
import type { PolicyConfig } from "../config-schema.js";
import { GatewayError } from "../errors.js";
import type { ResolvedProvider } from "../providers/resolve.js";
import { evaluatePolicy } from "../routing/policy.js";
import type { Credential, CredentialResolver } from "./credentials.js";
import { resolveModel } from "./model-ref.js";

/** One way to serve a request: a provider, the model id it knows, and a credential. */
export interface Attempt {
  provider: ResolvedProvider;
  upstreamModel: string;
  credential: Credential;
}

/** A route that was considered and left out, with the reason. */
export interface ExcludedRoute {
  provider: string;
  credential?: string;
  reason: string;
}

/** Every viable route for a request, in the order they will be tried, and what was excluded. */
export interface RoutePlan {
  /** The model name after alias resolution. */
  model: string;
  attempts: Attempt[];
  excluded: ExcludedRoute[];
}

export interface RouteInput {
  model: string;
  role?: string;
}

export interface RouterDeps {
  providers: readonly ResolvedProvider[];
  aliases: Readonly<Record<string, string>>;
  policy: PolicyConfig;
  credentials: CredentialResolver;
}

/**
 * The routing seam: `route(request) -> attempts`. Builds every candidate first (provider x
 * credential), then applies policy, failing closed; health and ranking plug in after this.
 */
export function planRoute(input: RouteInput, deps: RouterDeps): RoutePlan {
  let resolved;
  try {
    resolved = resolveModel(input.model, deps.providers, deps.aliases);
  } catch (error) {
    if (error instanceof HedgeError && error.code === "model_not_found") {
      throw new GatewayError("model_not_found", error.message, {
        status: 404,
        type: "not_found_error",
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
    throw error;
  }
  const attempts: Attempt[] = [];
  const excluded: ExcludedRoute[] = [];
  const denials: string[] = [];
  for (const target of resolved.targets) {
    const verdict = evaluatePolicy(target.provider, deps.policy);
    if (!verdict.allowed) {
      excluded.push({ provider: target.provider.id, reason: `policy: ${verdict.rule}` });
      denials.push(verdict.rule);
      continue;
    }
    const credentials = deps.credentials.credentialsFor(target.provider);
    if (credentials.length === 0) {
      excluded.push({ provider: target.provider.id, reason: "no credential" });
      continue;
    }
    for (const credential of credentials) {
      attempts.push({ provider: target.provider, upstreamModel: target.upstreamModel, credential });
    }
  }
  if (attempts.length === 0) {
    if (denials.length === resolved.targets.length) {
      throw new GatewayError(
        "policy_denied",
        `policy denied every route for "${input.model}": ${denials.join("; ")}`,
        {
          status: 403,
          type: "permission_error",
          hint: "log in to the provider (hedge auth login) or allow it deliberately in [policy]",
        },
      );
    }
    const providers = [...new Set(excluded.map((route) => route.provider))].join(", ");
    throw new GatewayError(
      "no_credential",
      `no credential for ${providers} (model "${input.model}")`,
      {
        status: 401,
        type: "authentication_error",
        hint: `run 'hedge auth login --provider ${excluded[0]?.provider ?? "PROVIDER"}' or set its api_key_env variable`,
      },
    );
  }
  return { model: resolved.name, attempts, excluded };
}
