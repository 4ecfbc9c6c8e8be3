import { afterEach, describe, expect, it } from "vitest";
import { rateLimitedReply } from "@hedge/testkit";
import { FAST_RETRY, START, labProvider, startHarness, type Harness } from "./routing-harness.js";

type Ups = "a" | "b";
let harness: Harness<Ups> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const routeOf = (response: Response): "a" | "b" => {
  const provider = /provider=lab-([ab])/.exec(response.headers.get("x-hedge-route") ?? "")?.[1];
  if (provider !== "a" && provider !== "b") throw new Error(`unexpected route ${provider}`);
  return provider;
};

describe("session stickiness", () => {
  it.each(["weighted", "fastest"])(
    "strategy %s: a session stays on its route, moves when it cools down, and does not return while it cools",
    async (strategy) => {
      const h = (harness = await startHarness({
        upstreams: ["a", "b"],
        providers: (urls) => ({ "lab-a": labProvider(urls.a), "lab-b": labProvider(urls.b) }),
        aliases: { m: "lab-a/m" },
        routing: { retry: FAST_RETRY, models: { m: { strategy, fallbacks: ["lab-b/m"] } } },
      }));
      h.up.a.push({ text: "from a", repeat: true });
      h.up.b.push({ text: "from b", repeat: true });
      const session = { headers: { "x-hedge-session": "s-1" } };

      const first = routeOf(await h.chat("m", session));
      const other = first === "a" ? "b" : "a";
      for (let turn = 0; turn < 6; turn += 1)
        expect(routeOf(await h.chat("m", session))).toBe(first);
      expect(h.up[first].requests).toHaveLength(7);
      expect(h.up[other].requests).toHaveLength(0);
      expect((await h.explain("m", "s-1")).plan.sticky).toBe(`lab-${first}:none`);

      // The session's route hits a rate limit: this very request moves to the other route.
      h.up[first].reset({ replies: [rateLimitedReply({ retryAfterSeconds: 120 })] });
      h.up[first].push({ text: `from ${first}`, repeat: true });
      expect(routeOf(await h.chat("m", session))).toBe(other);
      expect(h.up[first].requests).toHaveLength(1);
      expect((await h.explain("m", "s-1")).plan.sticky).toBe(`lab-${other}:none`);

      // While the first route cools down the session never goes back to it.
      for (let turn = 0; turn < 4; turn += 1) {
        h.clock.advance(25_000);
        expect(routeOf(await h.chat("m", session))).toBe(other);
      }
      expect(h.up[first].requests).toHaveLength(1);

      // Cooled down and healthy again: the session still stays where its cache is warm.
      h.clock.set(START + 120_000);
      expect((await h.explain("m", "s-1")).plan.attempts.map((attempt) => attempt.id)).toContain(
        `lab-${first}:none`,
      );
      for (let turn = 0; turn < 3; turn += 1)
        expect(routeOf(await h.chat("m", session))).toBe(other);
      expect(h.up[first].requests).toHaveLength(1);
    },
  );
});
