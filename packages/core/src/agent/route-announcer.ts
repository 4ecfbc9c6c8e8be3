import type { ProfileSwitchItem, RouteDecisionItem } from "./items.js";
import type { RouteInfo } from "./model-step.js";

/** What an announcement needs of a route (a QA pass may report less than a model step). */
export type AnnouncedRoute = Pick<RouteInfo, "provider" | "upstreamModel"> &
  Partial<Pick<RouteInfo, "switchedFrom" | "switchReason">> & { profile?: string | undefined };

/** One route to announce for a role. */
export interface Announcement {
  role: string;
  /** The model name the `route_decision` item shows. */
  model: string;
  route: AnnouncedRoute;
  /** Why the role runs here, when this is its first route in the turn. */
  reason: string;
  /** Why, when the role already had another route in the turn (default: `reason`). */
  movedReason?: string;
  /** The login profiles the request allowed (a pinned profile, a role's pool), when limited. */
  pool?: readonly string[] | undefined;
}

/**
 * The route announcements of one turn, shared by its phases and its QA passes: each role's route
 * is announced once (a `route_decision` item), and a `profile_switch` item tells when a provider
 * is served by another login profile than before in the turn, or the gateway says it moved the
 * call.
 */
export class RouteAnnouncer {
  /** Per role, the routes already announced (`provider/upstreamModel/profile`). */
  private readonly routes = new Map<string, Set<string>>();
  /** Per provider, the profile that served it last in the turn. */
  private readonly profiles = new Map<string, string>();
  private readonly nextItemId: () => string;

  constructor(nextItemId: () => string) {
    this.nextItemId = nextItemId;
  }

  /** The items to emit for this route, in order: a profile switch, then a route decision. */
  announce(announcement: Announcement): (ProfileSwitchItem | RouteDecisionItem)[] {
    const items: (ProfileSwitchItem | RouteDecisionItem)[] = [];
    const switched = this.profileSwitch(announcement.route, announcement.pool);
    if (switched) items.push(switched);
    const { role, route } = announcement;
    const key = `${route.provider}/${route.upstreamModel}/${route.profile ?? ""}`;
    const seen = this.routes.get(role);
    if (seen?.has(key)) return items;
    if (seen) seen.add(key);
    else this.routes.set(role, new Set([key]));
    items.push({
      id: this.nextItemId(),
      type: "route_decision",
      role,
      model: announcement.model,
      provider: route.provider,
      upstream_model: route.upstreamModel,
      profile: route.profile ?? null,
      reason: seen ? (announcement.movedReason ?? announcement.reason) : announcement.reason,
    });
    return items;
  }

  private profileSwitch(
    route: AnnouncedRoute,
    pool: readonly string[] | undefined,
  ): ProfileSwitchItem | undefined {
    if (route.profile === undefined) return undefined;
    const previous = this.profiles.get(route.provider);
    this.profiles.set(route.provider, route.profile);
    const from = previous ?? route.switchedFrom;
    if (from === undefined || from === route.profile) return undefined;
    return {
      id: this.nextItemId(),
      type: "profile_switch",
      provider: route.provider,
      from,
      to: route.profile,
      // A request only one profile may serve went there because it was asked to (a pin), not
      // for the gateway's reasons about the profile it would have kept.
      reason:
        pool?.length === 1 && pool[0] === route.profile
          ? "the only profile allowed (the session's pinned profile or the role's pool)"
          : (route.switchReason ?? "the gateway moved this call to another profile"),
    };
  }
}
