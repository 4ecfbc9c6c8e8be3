import { UsageError } from "@hedge/model-spec";
import type { RoleModel, Roles } from "./pipeline.js";

export type RoleName = keyof Roles;
export const ROLE_NAMES: readonly RoleName[] = ["orchestrator", "executor", "qa"];

/** The built-in role models: a Codex-class orchestrator, a Claude executor, a Haiku-class QA. */
export const ROLE_DEFAULTS: Readonly<Record<RoleName, string>> = {
  orchestrator: "openai/gpt-5-codex",
  executor: "anthropic/claude-sonnet-4-5",
  qa: "anthropic/claude-haiku-4-5",
};

export interface RoleModelSources {
  /** `[roles]` from config (each may be unset). */
  config: { [role in RoleName]?: string | undefined } & {
    profiles?: { [role in RoleName]?: string[] | undefined };
  };
  /** Config `model`: the default of every role [roles] leaves unset. */
  model?: string;
  /** `-m/--model`: the executor's model for this run. */
  executorFlag?: string;
  /** `--role ROLE=MODEL`, repeatable. */
  roleFlags: readonly string[];
  /** `--single-model MODEL`: every role on one model. */
  singleModel?: string;
}

/**
 * Which model plays each role for this run. Precedence: `--single-model`, then `--role`, then
 * `-m` (executor), then `[roles]`, then `model`, then the built-in defaults.
 */
export function resolveRoles(sources: RoleModelSources): Roles {
  const overrides = parseRoleFlags(sources.roleFlags);
  const pick = (role: RoleName): RoleModel => {
    const model =
      sources.singleModel ??
      overrides.get(role) ??
      (role === "executor" ? sources.executorFlag : undefined) ??
      sources.config[role] ??
      sources.model ??
      ROLE_DEFAULTS[role];
    const profiles = sources.config.profiles?.[role];
    return profiles ? { model, profiles } : { model };
  };
  return { orchestrator: pick("orchestrator"), executor: pick("executor"), qa: pick("qa") };
}

function parseRoleFlags(flags: readonly string[]): Map<RoleName, string> {
  const parsed = new Map<RoleName, string>();
  for (const flag of flags) {
    const equals = flag.indexOf("=");
    const role = flag.slice(0, Math.max(0, equals)).trim();
    const model = flag.slice(equals + 1).trim();
    if (equals <= 0 || !model || !ROLE_NAMES.includes(role as RoleName)) {
      throw new UsageError(
        `--role expects ROLE=MODEL with ROLE one of ${ROLE_NAMES.join(", ")}, got "${flag}"`,
        {
          hint: "for example: --role executor=anthropic/claude-sonnet-4-5",
        },
      );
    }
    parsed.set(role as RoleName, model);
  }
  return parsed;
}
