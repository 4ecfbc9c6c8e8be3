import { profileOfRoute } from "./family.js";
import { appendSwitch, type ProfileSwitch } from "./switch-log.js";
import type { ReservationDeps } from "./reservation.js";
import type { UsageRoute } from "./usage-settings.js";

/** How long a pool's current-member pointer is kept without a request moving it. */
const POINTER_KEEP_MS = 86_400_000;
/** The Store key of a pool's current member for a model family. */
export const pointerKey = (provider: string, family: string): string =>
  `usage:current:${provider}|${family}`;

/**
 * Moves a pool's current pointer to the route that served (`UsageMonitor.served`) and, when that
 * left another member, records the switch and returns it, with the reason that member was left.
 */
export async function movePointer(
  deps: Pick<ReservationDeps, "store" | "remember" | "now">,
  route: UsageRoute,
  context: {
    excluded: readonly { route: string; reason: string }[];
    tried: readonly { route: string; outcome: string; reason?: string }[];
  },
  family: string,
  key: string,
  pointer: string | undefined,
  previous: string | undefined,
): Promise<ProfileSwitch | undefined> {
  if (pointer !== route.id) {
    await deps.store.set(key, route.id, POINTER_KEEP_MS);
    deps.remember(key, route.id);
  }
  if (previous === undefined || previous === route.id) return undefined;
  const reason =
    context.excluded.find((entry) => entry.route === previous)?.reason ??
    context.tried.find((entry) => entry.route === previous && entry.outcome !== "ok")?.reason ??
    "another profile has more headroom";
  const fromProfile = profileOfRoute(previous);
  const change: ProfileSwitch = {
    at: deps.now(),
    provider: route.provider.id,
    family,
    from: previous,
    to: route.id,
    ...(fromProfile === undefined ? {} : { fromProfile }),
    ...(route.credential.profile === undefined ? {} : { toProfile: route.credential.profile }),
    reason,
  };
  await appendSwitch(deps.store, change);
  return change;
}
