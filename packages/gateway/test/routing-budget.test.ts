import { afterEach, describe, expect, it } from "vitest";
import { labProvider, openAiError, startHarness, type Harness } from "./routing-harness.js";

let harness: Harness<"a" | "b"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const BUDGET_MS = 200;

// The budget is a duration, so these runs use the real clock.
async function budgeted(retry: Record<string, number>): Promise<Harness<"a" | "b">> {
  harness = await startHarness({
    upstreams: ["a", "b"],
    providers: (urls) => ({ "lab-a": labProvider(urls.a), "lab-b": labProvider(urls.b) }),
    aliases: { m: "lab-a/m" },
    routing: {
      request_budget_ms: BUDGET_MS,
      retry,
      breaker: { failure_threshold: 100 },
      models: { "lab-a/m": { fallbacks: ["lab-b/m"] } },
    },
    realClock: true,
  });
  return harness;
}

describe("the request time budget", () => {
  it("cuts a route that does not answer within the budget: 504, the next route is not reached", async () => {
    const h = await budgeted({ same_route: 1, base_ms: 1, max_ms: 5 });
    // Far longer than the budget: without a bound the client would wait for it.
    h.up.a.push({ text: "too late", latencyMs: 20_000 });
    h.up.b.push({ text: "never", repeat: true });

    const response = await h.chat("m");
    expect(response.status).toBe(504);
    const error = await openAiError(response);
    expect(error.type).toBe("timeout_error");
    expect(error.message).toContain('the time budget for "lab-a/m" ran out');
    expect(h.up.a.requests).toHaveLength(1);
    expect(h.up.b.requests).toHaveLength(0);
  });

  it("stops retrying repeated 503s when the budget is spent: 504 rather than retrying on", async () => {
    // Each 503 takes 40 ms, so the 11 tries allowed on the route cannot fit into 200 ms.
    const h = await budgeted({ same_route: 10, base_ms: 20, max_ms: 20 });
    h.up.a.push({ status: 503, error: { message: "unavailable" }, latencyMs: 40, repeat: true });
    h.up.b.push({ status: 503, error: { message: "unavailable" }, latencyMs: 40, repeat: true });

    const response = await h.chat("m");
    expect(response.status).toBe(504);
    const error = await openAiError(response);
    expect(error.message).toContain("time budget");
    expect(error.message).toContain("503");
    expect(h.up.a.requests.length + h.up.b.requests.length).toBeLessThan(11);
  });
});
