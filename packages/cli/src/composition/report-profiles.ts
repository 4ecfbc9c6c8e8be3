import { listProfiles } from "@hedge/auth";
import type { ReportProfile } from "@hedge/gateway";
import type { HedgeConfig } from "../config/schema.js";

/** Profiles with their `[profiles.NAME]` settings, as the usage report and heartbeat need them. */
export function reportProfiles(config: HedgeConfig, home: string): ReportProfile[] {
  return listProfiles(home).map((profile) => ({
    name: profile.name,
    provider: profile.provider,
    kind: profile.kind,
    home: profile.home,
    limits: config.profiles[profile.name]?.limits,
    priority: config.profiles[profile.name]?.priority,
  }));
}
