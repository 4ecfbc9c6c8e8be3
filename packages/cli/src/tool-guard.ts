import { listProfiles } from "@hedge/auth";
import type { ToolHostOptions } from "@hedge/core";
import { IMPORTABLE_VARIABLES, identityVariables } from "./composition/identity-variables.js";
import type { HedgeConfig } from "./config/schema.js";

/** The tool host options that keep hedge's keys and the user's secret stores from the model. */
export type ToolGuardOptions = Required<
  Pick<ToolHostOptions, "secrets" | "keyVariables" | "shellEnvironment" | "denyRead">
>;

/**
 * Paths tools may not read beyond core's defaults (`~/.ssh`, ...): `$HEDGE_HOME` (credentials
 * file, sessions, state), the vendor CLI home of every cli-login profile (wherever it was
 * adopted from), and the user's `sandbox.deny_read`.
 */
export function toolDenyRead(config: HedgeConfig, home: string): string[] {
  const loginHomes = listProfiles(home).flatMap((profile) =>
    profile.kind === "cli-login" && profile.home ? [profile.home] : [],
  );
  return [home, ...loginHomes, ...config.sandbox.deny_read];
}

/**
 * Every variable that holds one of hedge's keys: each provider's key variable (presets and
 * `api_key_env`), those `hedge auth import` reads, and the gateway key variable.
 */
export function keyVariables(config: HedgeConfig): string[] {
  return [
    ...new Set([
      ...identityVariables(config.providers),
      ...IMPORTABLE_VARIABLES.map(([variable]) => variable),
      config.client.gateway_key_env,
      "HEDGE_GATEWAY_KEY",
    ]),
  ];
}

/** Request headers whose values are credentials (`Authorization`, `X-Api-Key`, ...). */
const SECRET_HEADER = /authorization|key|token|secret|cookie/i;

/** Variable names that hold credentials (`GITHUB_TOKEN`, `BRAVE_API_KEY`, ...). */
const SECRET_VARIABLE = /key|token|secret|password|credential/i;

/**
 * What MCP servers are given that the model must not read back: bearer tokens and header
 * values from the environment, and secret-named variables (literal or passed through).
 */
function mcpSecrets(config: HedgeConfig, env: NodeJS.ProcessEnv): string[] {
  return Object.values(config.mcp_servers).flatMap((server) => {
    const passed = [
      ...(server.bearer_token_env_var ? [server.bearer_token_env_var] : []),
      ...Object.values(server.env_http_headers ?? {}),
      ...(server.env_vars ?? []).filter((name) => SECRET_VARIABLE.test(name)),
    ].flatMap((name) => (env[name] ? [env[name]] : []));
    const literal = Object.entries(server.env ?? {})
      .filter(([name]) => SECRET_VARIABLE.test(name))
      .map(([, value]) => value);
    const headers = Object.entries(server.http_headers ?? {})
      .filter(([name]) => SECRET_HEADER.test(name))
      .flatMap(([, value]) => [value, value.replace(/^\S+\s+/, "")]);
    return [...passed, ...literal, ...headers];
  });
}

/**
 * The guard options of a session's tool host. `heldSecrets` are the keys hedge loaded itself
 * (profile pools); added are the config's literal `api_key`s and credential headers (with and
 * without their `Bearer ` scheme) and the values of every key variable.
 */
export function toolGuardOptions(
  config: HedgeConfig,
  home: string,
  heldSecrets: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ToolGuardOptions {
  const variables = keyVariables(config);
  const configured = Object.values(config.providers).flatMap((provider) => [
    ...(provider.api_key ? [provider.api_key] : []),
    ...Object.entries(provider.headers ?? {})
      .filter(([name]) => SECRET_HEADER.test(name))
      .flatMap(([, value]) => [value, value.replace(/^\S+\s+/, "")]),
  ]);
  const fromEnv = variables.flatMap((name) => {
    const value = env[name];
    return value ? [value] : [];
  });
  return {
    secrets: [...heldSecrets, ...configured, ...fromEnv, ...mcpSecrets(config, env)],
    keyVariables: variables,
    shellEnvironment: config.shell_environment_policy,
    denyRead: toolDenyRead(config, home),
  };
}
