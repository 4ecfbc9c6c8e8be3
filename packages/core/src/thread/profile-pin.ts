import { HedgeError, isHedgeError } from "@hedge/model-spec";
import type { ModelClient } from "@hedge/gateway-client";
import type { RoleModel, Roles } from "../roles/pipeline.js";
import { ROLE_NAMES, type RoleName } from "../roles/role-models.js";

/**
 * The session's pinned profile: the roles whose model routes on its provider are served by it
 * alone; roles on other providers keep their routes. Set only by the user (`--profile`,
 * `HEDGE_PROFILE`, `/profile`), never by config a repository could write.
 */
export interface ProfilePin {
  profile: string;
  provider: string;
}

/** What a pin was checked against: the roles it applies to and how its profile stands. */
export interface CheckedPin {
  pin: ProfilePin;
  roles: RoleName[];
  /** Why it cannot serve right now (a cooldown, no headroom), when it cannot: it still applies. */
  waiting?: string;
}

/** Route errors that are the user's setup (policy, credentials), not the profile's health. */
const REFUSALS = new Set(["policy_denied", "no_credential", "no_route", "routes_refused"]);

/**
 * Checks a profile before it is pinned: it must be one of the user's profiles (the gateway's
 * list, from `$HEDGE_HOME/profiles.toml`), some role's model must route on its provider, and
 * policy must let those roles use it. Throws one line naming the problem otherwise.
 */
export async function checkPin(
  client: ModelClient,
  roles: Roles,
  name: string,
): Promise<CheckedPin> {
  const report = await client.usage();
  const found = report.profiles.find((entry) => entry.profile === name);
  if (!found) {
    const known = report.profiles.map((entry) => entry.profile);
    throw new HedgeError("profile_unknown", `no profile "${name}"`, {
      hint:
        known.length > 0
          ? `pin one of: ${known.join(", ")}`
          : "log in first: hedge auth login --provider PROVIDER",
    });
  }
  const pin = { profile: name, provider: found.provider };
  const applied = await rolesOnProvider(client, roles, pin.provider);
  if (applied.length === 0)
    throw new HedgeError(
      "profile_unused",
      `profile ${name} is a ${pin.provider} login, and no role's model runs on ${pin.provider}`,
      {
        hint: `put a role on it first: /model ${pin.provider}/MODEL, or --role ROLE=${pin.provider}/MODEL`,
      },
    );
  let waiting: string | undefined;
  for (const role of applied) {
    const { error } = await client.explain({ model: roles[role].model, role, profiles: [name] });
    if (error && REFUSALS.has(error.code))
      throw new HedgeError(
        "profile_refused",
        `profile ${name} cannot serve ${role}: ${error.message}`,
        {
          hint: "pin another profile, or change [policy] in $HEDGE_HOME/config.toml",
        },
      );
    if (error) waiting ??= error.message;
  }
  return { pin, roles: applied, ...(waiting ? { waiting } : {}) };
}

/** The roles as a turn runs them under `pin`: those on its provider get the pinned profile alone. */
export async function applyPin(
  client: ModelClient,
  roles: Roles,
  pin: ProfilePin | undefined,
): Promise<Roles> {
  if (!pin) return roles;
  const pinned = new Set(await rolesOnProvider(client, roles, pin.provider));
  const role = (name: RoleName): RoleModel =>
    pinned.has(name) ? { model: roles[name].model, profiles: [pin.profile] } : roles[name];
  return { orchestrator: role("orchestrator"), executor: role("executor"), qa: role("qa") };
}

/** The roles whose model has a route (candidate or ruled out) on `provider`. */
async function rolesOnProvider(
  client: ModelClient,
  roles: Roles,
  provider: string,
): Promise<RoleName[]> {
  const found: RoleName[] = [];
  for (const role of ROLE_NAMES) {
    try {
      const view = await client.explain({ model: roles[role].model, role });
      const routes = [...view.routes, ...view.ruled_out];
      if (routes.some((route) => route.provider === provider)) found.push(role);
    } catch (error) {
      // A model the gateway does not know has no route anywhere: the turn's check says so.
      if (!isHedgeError(error)) throw error;
    }
  }
  return found;
}

/**
 * A thread's pin: the profile the user asked for at start (checked at the first turn) or later
 * (`/profile`, checked at once), applied to the roles of every turn after it was set.
 */
export class SessionPin {
  private pin: ProfilePin | undefined;

  constructor(
    private readonly client: ModelClient,
    private readonly requested: string | undefined,
  ) {}

  /** The pinned profile's name, when one is (asked for, or checked). */
  get profile(): string | undefined {
    return this.pin?.profile ?? this.requested;
  }

  /** Checks and pins `name`; returns the line that says so. */
  async set(roles: Roles, name: string): Promise<string> {
    const checked = await checkPin(this.client, roles, name);
    this.pin = checked.pin;
    return `profile ${name} pinned (${checked.pin.provider}: ${checked.roles.join(", ")}) · from the next model request${checked.waiting ? ` · for now: ${checked.waiting}` : ""}`;
  }

  /** The roles as a turn runs them now. */
  async apply(roles: Roles): Promise<Roles> {
    if (this.requested && !this.pin)
      this.pin = (await checkPin(this.client, roles, this.requested)).pin;
    return applyPin(this.client, roles, this.pin);
  }
}
