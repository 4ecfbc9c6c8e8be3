import type {
  DashboardEvent,
  DashboardSnapshot,
  Decision,
  FleetProfile,
  LoopsView,
  RouteRow,
  Spend,
} from "../../../src/server/dashboard/dashboard-types.js";

/** Decisions the page keeps (and shows, filtered). */
export const MAX_DECISIONS = 200;

/**
 * What the page shows. Rows are replaced, never mutated, so a view redraws exactly the rows
 * whose object changed since its last render.
 */
export interface PageState {
  server: DashboardSnapshot["server"] | undefined;
  fleet: ReadonlyMap<string, FleetProfile>;
  routes: ReadonlyMap<string, RouteRow>;
  decisions: readonly Decision[];
  spend: Spend | undefined;
  loops: LoopsView;
  /** Server clock minus page clock (ms), for countdowns. */
  skewMs: number;
}

export const EMPTY_STATE: PageState = {
  server: undefined,
  fleet: new Map(),
  routes: new Map(),
  decisions: [],
  spend: undefined,
  loops: { running: false, loops: [] },
  skewMs: 0,
};

/** The state after one event from the stream; `pageNow` is the page's clock when it arrived. */
export function reduce(state: PageState, event: DashboardEvent, pageNow: number): PageState {
  if (event.type === "snapshot") {
    const { snapshot } = event;
    return {
      server: snapshot.server,
      fleet: new Map(snapshot.fleet.map((row) => [row.profile, row])),
      routes: new Map(snapshot.routes.map((row) => [row.route, row])),
      decisions: snapshot.decisions.slice(0, MAX_DECISIONS),
      spend: snapshot.spend,
      loops: snapshot.loops,
      skewMs: snapshot.server.now - pageNow,
    };
  }
  const { batch } = event;
  const next: PageState = { ...state, skewMs: batch.now - pageNow };
  if (state.server) next.server = { ...state.server, now: batch.now };
  if (batch.fleet || batch.removedProfiles)
    next.fleet = merge(state.fleet, batch.fleet, batch.removedProfiles, (row) => row.profile);
  if (batch.routes || batch.removedRoutes)
    next.routes = merge(state.routes, batch.routes, batch.removedRoutes, (row) => row.route);
  if (batch.decisions?.length) {
    const known = new Set(batch.decisions.map((row) => row.requestId));
    next.decisions = [
      ...batch.decisions,
      ...state.decisions.filter((row) => !known.has(row.requestId)),
    ]
      .sort((a, b) => b.at - a.at)
      .slice(0, MAX_DECISIONS);
  }
  if (batch.spend) next.spend = batch.spend;
  if (batch.loops) next.loops = batch.loops;
  return next;
}

function merge<T>(
  current: ReadonlyMap<string, T>,
  changed: readonly T[] | undefined,
  removed: readonly string[] | undefined,
  keyOf: (row: T) => string,
): ReadonlyMap<string, T> {
  const next = new Map(current);
  for (const row of changed ?? []) next.set(keyOf(row), row);
  for (const key of removed ?? []) next.delete(key);
  return next;
}

/** The decision filter: each field a case-insensitive substring of that column. */
export interface DecisionFilter {
  role: string;
  model: string;
  provider: string;
  profile: string;
  outcome: string;
}

export function filterDecisions(
  decisions: readonly Decision[],
  filter: DecisionFilter,
): Decision[] {
  const wanted = (Object.entries(filter) as [keyof DecisionFilter, string][])
    .map(([field, text]) => [field, text.trim().toLowerCase()] as const)
    .filter(([, text]) => text !== "");
  return decisions.filter((decision) =>
    wanted.every(([field, text]) => (decision[field] ?? "").toLowerCase().includes(text)),
  );
}
