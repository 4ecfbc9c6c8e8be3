import { GatewayAdmin, type GatewayEngine } from "@hedge/gateway";
import type { HedgeConfig } from "../config/schema.js";
import { reportProfiles } from "./report-profiles.js";

/** What `hedge gateway serve` answers on `/hedge/v1/*`: its engine's views, this home's profiles. */
export function gatewayAdmin(
  engine: GatewayEngine,
  config: HedgeConfig,
  home: string,
): GatewayAdmin {
  return new GatewayAdmin(engine, { profiles: () => reportProfiles(config, home) });
}
