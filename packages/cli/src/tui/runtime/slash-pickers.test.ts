import type { RouteExplanationView } from "@hedge/model-spec";
import { describe, expect, it } from "vitest";
import { policyState } from "./slash-pickers.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");

function view(partial: Partial<RouteExplanationView>): RouteExplanationView {
  return {
    model: "lab/m",
    strategy: "priority",
    sticky: null,
    routes: [],
    ruled_out: [],
    error: null,
    ...partial,
  };
}

const route = (extra: Partial<RouteExplanationView["routes"][number]>) => ({
  route: "lab:profile:work",
  provider: "lab",
  model: "m",
  class: "local",
  region: "us",
  credential: "profile",
  profile: "work",
  order: null,
  ...extra,
});

describe("the /model picker's policy state", () => {
  it("names each state routing reports, with the wait where it ends", () => {
    expect(policyState(view({ routes: [route({ order: 1 })] }), NOW)).toBe(
      "allowed · lab · profile work",
    );
    expect(
      policyState(
        view({
          ruled_out: [
            { route: "far:*", provider: "far", excluded: "policy: class hosted is not allowed" },
          ],
          error: { code: "policy_denied", message: "policy denied every route" },
        }),
        NOW,
      ),
    ).toBe("denied by policy: class hosted is not allowed");
    expect(
      policyState(
        view({ error: { code: "no_credential", message: "no credential for lab" } }),
        NOW,
      ),
    ).toBe("no credentials (hedge auth login)");
    const error = { code: "no_healthy_route", message: "every route is unhealthy" };
    expect(
      policyState(
        view({
          routes: [
            route({
              excluded: "circuit open after 5 consecutive failure(s)",
              until: new Date(NOW + 30_000).toISOString(),
            }),
          ],
          error,
        }),
        NOW,
      ),
    ).toBe("breaker open for 30s");
    expect(
      policyState(
        view({
          routes: [
            route({
              excluded: "rate_limited: 429 from lab; retry after 2m",
              until: new Date(NOW + 120_000).toISOString(),
            }),
          ],
          error,
        }),
        NOW,
      ),
    ).toMatch(/^cooling down for 2m/);
  });
});
