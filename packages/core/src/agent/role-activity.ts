import type { AgentEvent } from "./events.js";

type RoleActivityEvent = Extract<AgentEvent, { type: "role.activity" }>;

/**
 * What one role does now (`role.activity`): on a model, running a tool, idle. Each change is
 * reported; a route's profile, once known, is added to the current activity.
 */
export class RoleActivity {
  private current: RoleActivityEvent | undefined;
  private profile: string | null = null;

  constructor(
    private readonly role: string,
    private readonly model: string,
  ) {}

  set(phase: RoleActivityEvent["phase"], action?: string): RoleActivityEvent {
    this.current = {
      type: "role.activity",
      role: this.role,
      phase,
      model: this.model,
      profile: this.profile,
      started_at: Date.now(),
      ...(action === undefined ? {} : { action }),
    };
    return this.current;
  }

  /** The event to report when the route's profile changes what is shown, else undefined. */
  routed(profile: string | null): RoleActivityEvent | undefined {
    if (profile === this.profile) return undefined;
    this.profile = profile;
    if (!this.current) return undefined;
    this.current = { ...this.current, profile };
    return this.current;
  }
}
