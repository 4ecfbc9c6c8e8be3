import type { ResolvedProvider } from "../providers/resolve.js";

/** One credential a route can use. `secret` never leaves the gateway (not logged, not shown). */
export interface Credential {
  /** Stable id for health state and display, e.g. `env:ANTHROPIC_API_KEY` or `profile:work`. */
  id: string;
  /** Where it comes from. */
  source: "config" | "env" | "profile" | "caller" | "none";
  /** Profile name when `source` is `profile`. */
  profile?: string;
  secret: string | undefined;
  /** The region this credential's route is in, when it differs from the provider's (a profile's). */
  region?: string;
}

/**
 * Finds the credentials available for a provider. The profile pool (auth package) plugs in here;
 * the default reads the provider's literal `api_key` and its `api_key_env` variable.
 */
export interface CredentialResolver {
  credentialsFor(provider: ResolvedProvider): Credential[];
}

/** Credentials from config and environment only; local providers may run with none. */
export function configCredentials(env: NodeJS.ProcessEnv = process.env): CredentialResolver {
  return {
    credentialsFor(provider) {
      const found: Credential[] = [];
      if (provider.apiKey) {
        found.push({ id: `config:${provider.id}`, source: "config", secret: provider.apiKey });
      }
      const fromEnv = provider.apiKeyEnv ? env[provider.apiKeyEnv] : undefined;
      if (provider.apiKeyEnv && fromEnv) {
        found.push({ id: `env:${provider.apiKeyEnv}`, source: "env", secret: fromEnv });
      }
      if (found.length === 0 && provider.providerClass === "local") {
        found.push({ id: "none", source: "none", secret: undefined });
      }
      return found;
    },
  };
}
