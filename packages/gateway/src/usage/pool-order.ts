import type { Headroom } from "./snapshot.js";

/** What the usage check concluded of one route, as pool ordering needs it. */
export interface PoolStanding {
  headroom: Headroom;
  /** The pool's current member (route id) as last read. */
  pointer: string | undefined;
  priority: number;
}

/**
 * Orders the routes of each pool (routes of one provider): its current member first while that
 * has at least `switchBelow` headroom, then the most headroom, ties by `priority` (higher first),
 * then the order given. Routes of other pools keep their places.
 */
export function orderPools<T extends { id: string; provider: { id: string } }>(
  routes: readonly T[],
  standing: (route: T) => PoolStanding | undefined,
  switchBelow: number,
): T[] {
  const byPool = new Map<string, number[]>();
  routes.forEach((route, index) => {
    const slots = byPool.get(route.provider.id) ?? [];
    slots.push(index);
    byPool.set(route.provider.id, slots);
  });
  const ordered = [...routes];
  for (const slots of byPool.values()) {
    if (slots.length < 2) continue;
    const members = slots.map((index) => routes[index] as T);
    const current = standing(members[0] as T)?.pointer;
    const fraction = (route: T): number => standing(route)?.headroom.fraction ?? 1;
    const stays = (route: T): number =>
      route.id === current && fraction(route) >= switchBelow ? 1 : 0;
    const sorted = members
      .map((route, index) => ({ route, index }))
      .sort(
        (a, b) =>
          stays(b.route) - stays(a.route) ||
          fraction(b.route) - fraction(a.route) ||
          (standing(b.route)?.priority ?? 0) - (standing(a.route)?.priority ?? 0) ||
          a.index - b.index,
      );
    slots.forEach((slot, position) => {
      ordered[slot] = (sorted[position] as { route: T }).route;
    });
  }
  return ordered;
}
