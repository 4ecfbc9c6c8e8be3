import type { GatewayEngine } from "@hedge/gateway";
import { createModelClient, type ModelClient } from "@hedge/gateway-client";
import type { HedgeConfig } from "../config/schema.js";
import { buildEngine } from "./engine-factory.js";
import { waitForReset as waitUntilReset } from "./usage-wait.js";

export interface ModelConnection {
  client: ModelClient;
  /** The in-process engine (absent for a remote gateway). */
  engine?: GatewayEngine;
  /** The keys this connection holds (profile keys loaded for routing; none for a remote gateway). */
  secrets: readonly string[];
  close: () => Promise<void>;
}

/**
 * The ModelClient a command uses: a remote gateway when one is given (`--gateway`,
 * `client.gateway_url`, Codex's `openai_base_url`), else the embedded engine.
 */
export async function connectModels(
  config: HedgeConfig,
  home: string,
  gatewayFlag: string | undefined,
  waitForReset = false,
): Promise<ModelConnection> {
  const url = gatewayFlag ?? config.client.gateway_url ?? config.openai_base_url;
  if (url) {
    const client = createModelClient({
      mode: "remote",
      url,
      key: process.env[config.client.gateway_key_env],
    });
    return { client, secrets: [], close: () => Promise.resolve() };
  }
  // --wait-for-reset: when every profile is exhausted, wait (with a countdown) instead of failing.
  const { engine, secrets, close } = await buildEngine(
    config,
    home,
    waitForReset ? { waitForReset: waitUntilReset } : {},
  );
  return { client: createModelClient({ mode: "embedded", engine }), engine, secrets, close };
}
