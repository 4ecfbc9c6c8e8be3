import {
  GatewayEngine,
  configCredentials,
  resolveProviders,
  type GatewayObserver,
} from "@hedge/gateway";
import type { HedgeConfig } from "./config/schema.js";

/** Builds the gateway engine from config: providers, aliases, policy, credentials. */
export function buildEngine(config: HedgeConfig, observer?: GatewayObserver): GatewayEngine {
  return new GatewayEngine({
    providers: resolveProviders(config.providers),
    aliases: config.aliases,
    policy: config.policy,
    credentials: configCredentials(),
    ...(observer ? { observer } : {}),
  });
}
