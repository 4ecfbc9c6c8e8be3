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
    // Each member's numbers are looked up once, then sorted on (n log n comparisons).
    const current = standing(routes[slots[0] as number] as T)?.pointer;
    const members = slots.map((slot, index) => {
      const route = routes[slot] as T;
      const known = standing(route);
      const fraction = known?.headroom.fraction ?? 1;
      return {
        route,
        index,
        stays: route.id === current && fraction >= switchBelow ? 1 : 0,
        fraction,
        priority: known?.priority ?? 0,
      };
    });
    members.sort(
      (a, b) =>
        b.stays - a.stays ||
        b.fraction - a.fraction ||
        b.priority - a.priority ||
        a.index - b.index,
    );
    slots.forEach((slot, position) => {
      ordered[slot] = (members[position] as { route: T }).route;
    });
  }
  return ordered;
}
