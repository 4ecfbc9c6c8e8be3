import { afterEach, describe, expect, it } from "vitest";
import { rateLimitedReply } from "@hedge/testkit";
import {
  FAST_RETRY,
  START,
  labProvider,
  openAiError,
  startHarness,
  type Harness,
} from "./routing-harness.js";

let harness: Harness<"a" | "b" | "c"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("every allowed route unhealthy", () => {
  it("fails with 503 naming the routes and the earliest recovery, and never widens the policy to a denied hosted provider", async () => {
    const h = (harness = await startHarness({
      upstreams: ["a", "b", "c"],
      providers: (urls) => ({
        "lab-a": labProvider(urls.a),
        "lab-b": labProvider(urls.b),
        // Configured with a key, but the default policy allows local providers only.
        cloud: labProvider(urls.c, { class: "hosted", region: "us", api_key: "sk-cloud" }),
      }),
      aliases: { m: "lab-a/m" },
      routing: {
        retry: FAST_RETRY,
        breaker: { failure_threshold: 1, cooldown_ms: 120_000 },
        models: { "lab-a/m": { fallbacks: ["lab-b/m", "cloud/m"] } },
      },
    }));
    h.up.a.push(rateLimitedReply({ retryAfterSeconds: 60 }));
    h.up.b.push({ status: 503, error: { message: "unavailable" } });
    h.up.c.push({ text: "must never be served", repeat: true });

    // The request that takes both routes out: a cools down (429), b's breaker opens (503).
    const first = await h.chat("m");
    expect(first.status).toBe(503);
    expect((await openAiError(first)).message).toContain("every route for");
    expect(await h.cooldown("lab-a:none")).toMatchObject({ until: START + 60_000 });
    expect(await h.breaker("lab-b:none")).toMatchObject({ state: "open", openedAt: START });

    const response = await h.chat("m");
    expect(response.status).toBe(503);
    const error = await openAiError(response);
    expect(error.type).toBe("overloaded_error");
    expect(error.message).toContain('every allowed route for "m" is unavailable');
    expect(error.message).toContain("lab-a:none: rate_limited");
    expect(error.message).toContain("lab-b:none: circuit open after 1 consecutive failure(s)");
    expect(error.message).toContain(
      'cloud:*: policy: policy.allow_classes = ["local"] excludes hosted provider "cloud"',
    );
    expect(error.message).toContain(`earliest recovery ${new Date(START + 60_000).toISOString()}`);
    expect(h.up.a.requests).toHaveLength(1);
    expect(h.up.b.requests).toHaveLength(1);
    expect(h.up.c.requests).toHaveLength(0);

    const explained = await h.explain("m");
    expect(explained.error?.code).toBe("no_healthy_route");
    expect(explained.plan.candidates.map((candidate) => candidate.id)).toEqual([
      "lab-a:none",
      "lab-b:none",
    ]);

    // The earliest recovery is real: at that time lab-a serves again; cloud stays untouched.
    h.clock.set(START + 60_000);
    h.up.a.push({ text: "a recovered" });
    const recovered = await h.chat("m");
    expect(recovered.status).toBe(200);
    expect(recovered.headers.get("x-hedge-route")).toContain("provider=lab-a");
    expect(h.up.c.requests).toHaveLength(0);
  });
});
