/** How the viable routes of a request are ordered (`routing.models.*.strategy`). */
export type RankStrategy = "priority" | "cheapest" | "fastest" | "weighted";

/** What ranking needs to know about one route; extra fields of the caller's type pass through. */
export interface RankCandidate {
  /** Route id, e.g. `anthropic/profile:work`; matched against `sticky`. */
  id: string;
  /** Position in the declared order (config order, fallbacks after); breaks every tie. */
  declaredIndex: number;
  /** USD per million tokens, when known (see prices.ts). */
  pricePerMTok?: { input: number; output: number };
  /** Smoothed total latency of recent requests. */
  ewmaLatencyMs?: number;
  /** Smoothed time to first token of recent streamed requests. */
  ewmaTtftMs?: number;
  /** Relative share for `weighted`; absent means 1, 0 means only after every weighted route. */
  weight?: number;
}

export interface RankOptions {
  /** Route the session used last; when present among the candidates it goes first. */
  sticky?: string;
  /** A uniform draw in [0, 1) for `weighted`; tests inject one. */
  random?: () => number;
}

/**
 * Orders candidates for trying, best first, without changing the input array.
 *
 * - `priority`: declared order.
 * - `cheapest`: by blended price (input + output per million tokens); unknown prices last.
 * - `fastest`: by smoothed time to first token, then smoothed latency. A route with no
 *   measurement goes *first*: latencies are only learned from requests a route serves, so
 *   putting unknown routes last would leave them unmeasured for good and `fastest` would
 *   quietly mean "fastest of those that happened to be measured". Exploring costs one request
 *   per new route; the measurements persist in the Store.
 * - `weighted`: a random order where each route's chance of coming earlier is proportional to
 *   its weight (weighted sampling without replacement), so load spreads as configured and the
 *   rest still serve as fallbacks; weight 0 routes come after all others, in declared order.
 *
 * Ties always fall back to declared order. Then, whatever the strategy, the `sticky` route moves
 * to the front: staying on it keeps the provider's prompt cache warm.
 */
export function rankRoutes<T extends RankCandidate>(
  candidates: readonly T[],
  strategy: RankStrategy,
  options: RankOptions = {},
): T[] {
  const ranked = order(candidates, strategy, options.random ?? Math.random);
  const stickyIndex =
    options.sticky === undefined ? -1 : ranked.findIndex((route) => route.id === options.sticky);
  if (stickyIndex > 0) ranked.unshift(...ranked.splice(stickyIndex, 1));
  return ranked;
}

function order<T extends RankCandidate>(
  candidates: readonly T[],
  strategy: RankStrategy,
  random: () => number,
): T[] {
  const byDeclared = (a: T, b: T): number => a.declaredIndex - b.declaredIndex;
  switch (strategy) {
    case "priority":
      return [...candidates].sort(byDeclared);
    case "cheapest":
      return [...candidates].sort(
        (a, b) =>
          compareKnownFirst(blendedPrice(a), blendedPrice(b), "unknown-last") || byDeclared(a, b),
      );
    case "fastest":
      return [...candidates].sort(
        (a, b) =>
          compareKnownFirst(measure(a.ewmaTtftMs), measure(b.ewmaTtftMs), "unknown-first") ||
          compareKnownFirst(measure(a.ewmaLatencyMs), measure(b.ewmaLatencyMs), "unknown-first") ||
          byDeclared(a, b),
      );
    case "weighted":
      return weightedOrder(candidates, random, byDeclared);
  }
}

/**
 * Efraimidis-Spirakis: each route draws the key -ln(u) / weight and routes are taken in
 * ascending key order, which is exactly weighted sampling without replacement.
 */
function weightedOrder<T extends RankCandidate>(
  candidates: readonly T[],
  random: () => number,
  byDeclared: (a: T, b: T) => number,
): T[] {
  const weighted: { route: T; key: number }[] = [];
  const unweighted: T[] = [];
  for (const route of candidates) {
    const weight = route.weight ?? 1;
    if (!(Number.isFinite(weight) && weight > 0)) {
      unweighted.push(route);
      continue;
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const draw = random();
    const u = 1 - (Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 0.999_999) : 0.5);
    weighted.push({ route, key: -Math.log(u) / weight });
  }
  weighted.sort((a, b) => a.key - b.key || byDeclared(a.route, b.route));
  return [...weighted.map((entry) => entry.route), ...unweighted.sort(byDeclared)];
}

function blendedPrice(route: RankCandidate): number | undefined {
  const price = route.pricePerMTok;
  if (price === undefined) return undefined;
  const blended = price.input + price.output;
  return Number.isFinite(blended) && blended >= 0 ? blended : undefined;
}

function measure(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function compareKnownFirst(
  a: number | undefined,
  b: number | undefined,
  unknown: "unknown-first" | "unknown-last",
): number {
  if (a === undefined && b === undefined) return 0;
  const unknownRank = unknown === "unknown-first" ? -1 : 1;
  if (a === undefined) return unknownRank;
  if (b === undefined) return -unknownRank;
  return a - b;
}

/**
 * Exponentially weighted moving average: `alpha` of the new sample, the rest from history.
 * The first sample seeds the average. A sample that is not a finite non-negative number is
 * ignored (the previous average is returned), so one bad measurement cannot poison the route.
 */
export function updateEwma(previous: number, sample: number, alpha?: number): number;
export function updateEwma(
  previous: number | undefined,
  sample: number,
  alpha?: number,
): number | undefined;
export function updateEwma(
  previous: number | undefined,
  sample: number,
  alpha = 0.2,
): number | undefined {
  if (!Number.isFinite(sample) || sample < 0) return previous;
  if (previous === undefined || !Number.isFinite(previous)) return sample;
  const weight = Number.isFinite(alpha) ? Math.min(Math.max(alpha, 0), 1) : 0.2;
  return previous + weight * (sample - previous);
}
