import { EmbeddedModelClient, createModelClient, type ModelClient } from "@hedge/gateway-client";
import type { HedgeConfig } from "../config/schema.js";

/** A command's ModelClient and what else it needs from the connection. */
export interface ClientConnection {
  client: ModelClient;
  /** The remote gateway's URL; absent for the embedded engine. */
  gateway?: string;
  /** The keys this process holds for routing (tools redact them); none for a remote gateway. */
  secrets(): Promise<readonly string[]>;
}

/** The gateway a command talks to: `--gateway`, then `client.gateway_url`, then Codex's `openai_base_url`. */
export function gatewayUrl(config: HedgeConfig, flag: string | undefined): string | undefined {
  return flag ?? config.client.gateway_url ?? config.openai_base_url;
}

/**
 * The ModelClient a command uses: a remote gateway when one is named (key from
 * `client.gateway_key_env`), else this machine's gateway in-process. The gateway's code is
 * loaded only in the embedded case, so a remote-mode process never evaluates it.
 */
export async function connectClient(
  config: HedgeConfig,
  home: string,
  gatewayFlag: string | undefined,
  options: {
    waitForReset?: boolean;
    /** false: an embedded engine loads every profile (the session pins one in the thread). */
    pinPools?: boolean;
  } = {},
): Promise<ClientConnection> {
  const url = gatewayUrl(config, gatewayFlag);
  if (url) {
    const keyEnv = config.client.gateway_key_env;
    const client = createModelClient({ mode: "remote", url, key: process.env[keyEnv], keyEnv });
    return { client, gateway: url, secrets: () => Promise.resolve([]) };
  }
  const { localGateway } = await import("./embedded-gateway.js");
  const gateway = localGateway(config, home, options);
  return { client: new EmbeddedModelClient(gateway), secrets: () => gateway.secrets() };
}
