import { HedgeError, isHedgeError } from "@hedge/model-spec";
import type { ModelClient } from "@hedge/gateway-client";
import type { RoleModel, Roles } from "../roles/pipeline.js";
import type { RoleName } from "../roles/role-models.js";

/**
 * Why a role's model has no allowed route, or undefined when it has one: a dry run through the
 * ModelClient (embedded or remote alike), calling no provider. With `waitForReset` a role whose
 * every route is at its limit right now has one: the gateway waits for the reset.
 */
export async function roleFailure(
  client: ModelClient,
  role: RoleModel,
  name: RoleName,
  waitForReset = false,
): Promise<string | undefined> {
  try {
    const { error } = await client.explain({
      model: role.model,
      role: name,
      ...(role.profiles ? { profiles: [...role.profiles] } : {}),
    });
    if (waitForReset && error?.code === "usage_exhausted") return undefined;
    return error?.message;
  } catch (error) {
    // A gateway that is not hedge's (any OpenAI-compatible one) cannot explain its routes: the
    // check cannot be made, and the model call itself will say what is wrong.
    if (isHedgeError(error) && error.code === "admin_api_missing") return undefined;
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Every role a turn will use must have an allowed, configured route before the turn starts: a
 * clear error naming the role and the fix, never a silent fallback to another model.
 */
export async function checkRoles(
  client: ModelClient,
  roles: Roles,
  used: Record<RoleName, boolean>,
  waitForReset = false,
): Promise<void> {
  for (const role of ["executor", "orchestrator", "qa"] as const) {
    if (!used[role]) continue;
    const { model } = roles[role];
    const failure = await roleFailure(client, roles[role], role, waitForReset);
    if (failure) {
      const hint =
        role === "qa"
          ? 'set [roles] qa = "provider/model" (or model = ...), pass --role qa=MODEL, or turn QA off with --no-qa'
          : `set [roles] ${role} = "provider/model" (or model = ...), or pass --role ${role}=MODEL / --single-model MODEL`;
      throw new HedgeError(
        "role_unroutable",
        `role ${role}: model "${model}" has no allowed route: ${failure}`,
        { hint },
      );
    }
  }
}
