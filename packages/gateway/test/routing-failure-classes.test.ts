import { afterEach, describe, expect, it } from "vitest";
import { rateLimitedReply, type ScriptReply } from "@hedge/testkit";
import {
  FAST_RETRY,
  START,
  eventually,
  labProvider,
  startHarness,
  type Harness,
} from "./routing-harness.js";

type Ups = "a" | "b";
let harness: Harness<Ups> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const HOUR = 3_600_000;

/**
 * Two routes for model `m`: `lab-a` first (its credential a config key when `keyed`), `lab-b`
 * as the fallback; `claude` goes to an Anthropic-wire provider on upstream a, then `lab-b`.
 */
async function twoRoutes(keyed = false): Promise<Harness<Ups>> {
  harness = await startHarness({
    upstreams: ["a", "b"],
    providers: (urls) => ({
      "lab-a": labProvider(urls.a, keyed ? { api_key: "sk-a" } : {}),
      "lab-b": labProvider(urls.b),
      anth: { type: "anthropic", base_url: `${urls.a}/v1` },
    }),
    aliases: { m: "lab-a/m", claude: "anth/claude-x", solo: "lab-a/solo" },
    routing: {
      retry: FAST_RETRY,
      models: {
        "lab-a/m": { fallbacks: ["lab-b/m"] },
        "anth/claude-x": { fallbacks: ["lab-b/m"] },
      },
    },
  });
  harness.up.b.push({ text: "served by b" });
  return harness;
}

async function chatText(response: Response): Promise<string> {
  const body = (await response.json()) as { choices: { message: { content: string } }[] };
  return body.choices[0]?.message.content ?? "";
}

async function auditAttempts(h: Harness<Ups>): Promise<{ route: string; outcome: string }[]> {
  await h.engine.flush();
  const [entry] = await h.store.listAudit({ limit: 1 });
  return (entry?.attempts ?? []).map(({ route, outcome }) => ({
    route,
    outcome: outcome.split(":")[0] ?? outcome,
  }));
}

describe("transient failures", () => {
  const faults: [string, ScriptReply][] = [
    ["500", { status: 500, error: { message: "internal error" } }],
    ["502", { status: 502, error: { message: "bad gateway" } }],
    ["503", { status: 503, error: { message: "unavailable" } }],
    ["529", { status: 529, error: { message: "overloaded" } }],
    ["a disconnect before headers", { disconnectAfterChunks: 0 }],
  ];

  it.each(faults)(
    "%s: retried once on the same route, then the next route serves a 200",
    async (_name, fault) => {
      const h = await twoRoutes();
      h.up.a.push(fault, fault);

      const response = await h.chat("m");
      expect(response.status).toBe(200);
      expect(response.headers.get("x-hedge-route")).toContain("provider=lab-b");
      expect(await chatText(response)).toBe("served by b");
      expect(h.up.a.requests).toHaveLength(2);
      expect(h.up.b.requests).toHaveLength(1);

      const breaker = await h.breaker("lab-a:none");
      expect(breaker).toMatchObject({ state: "closed", consecutiveFailures: 2 });
      expect(breaker?.window.map((sample) => sample.ok)).toEqual([false, false]);
      expect(await h.cooldown("lab-a:none")).toBeUndefined();
      expect(await h.breaker("lab-b:none")).toBeUndefined();
      await eventually(async () =>
        expect(await auditAttempts(h)).toEqual([
          { route: "lab-a:none", outcome: "transient" },
          { route: "lab-a:none", outcome: "transient" },
          { route: "lab-b:none", outcome: "ok" },
        ]),
      );
    },
  );
});

describe("rate limited", () => {
  it("429: not retried on the same route, cooled down until the reset, the next route serves", async () => {
    const h = await twoRoutes();
    h.up.a.push(rateLimitedReply({ retryAfterSeconds: 30 }));

    const response = await h.chat("m");
    expect(response.status).toBe(200);
    expect(await chatText(response)).toBe("served by b");
    expect(h.up.a.requests).toHaveLength(1);
    expect(await h.cooldown("lab-a:none")).toMatchObject({
      until: START + 30_000,
      kind: "rate_limited",
    });
    // A rate limit is not a breaker failure.
    expect(await h.breaker("lab-a:none")).toBeUndefined();
    const { plan } = await h.explain("m");
    expect(plan.excluded).toContainEqual(
      expect.objectContaining({ route: "lab-a:none", until: START + 30_000 }),
    );
    expect(plan.attempts.map((attempt) => attempt.id)).toEqual(["lab-b:none"]);
  });
});

describe("quota and billing", () => {
  const cases: [string, "m" | "claude", ScriptReply][] = [
    ["402", "m", { status: 402, error: { message: "Payment required." } }],
    [
      "429 insufficient_quota",
      "m",
      {
        status: 429,
        error: {
          message: "You exceeded your current quota, please check your plan and billing details.",
          type: "insufficient_quota",
          code: "insufficient_quota",
        },
        headers: { "retry-after": "1" },
      },
    ],
    [
      'Anthropic 400 "credit balance is too low"',
      "claude",
      {
        status: 400,
        error: {
          type: "invalid_request_error",
          message:
            "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
        },
      },
    ],
  ];

  it.each(cases)("%s: a long cooldown, the next route serves", async (_name, model, fault) => {
    const h = await twoRoutes();
    h.up.a.push(fault);
    const route = model === "m" ? "lab-a:none" : "anth:none";

    const response = await h.chat(model);
    expect(response.status).toBe(200);
    expect(await chatText(response)).toBe("served by b");
    expect(h.up.a.requests).toHaveLength(1);
    expect(await h.cooldown(route)).toMatchObject({ until: START + HOUR, kind: "quota" });
    expect(await h.breaker(route)).toBeUndefined();
    h.clock.advance(HOUR - 1);
    expect((await h.explain(model)).plan.excluded.map((excluded) => excluded.route)).toContain(
      route,
    );
  });

  it("with no other route: a 429 naming the reset, the same on the next request", async () => {
    const h = await twoRoutes();
    h.up.a.push({ status: 402, error: { message: "Payment required." } });

    for (const _request of ["the one that hits the quota", "one while it cools down"]) {
      const response = await h.chat("solo");
      expect(response.status).toBe(429);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("usage_exhausted");
      expect(body.error.message).toContain("lab-a:none");
      expect(body.error.message).toContain("earliest reset");
    }
    expect(h.up.a.requests).toHaveLength(1);
  });
});

// 403s are a permission for one model (or a region), not a refused key: see routing-refusals.
describe("refused credentials", () => {
  it.each([401])(
    "%i: the route is cooled down as an invalid credential, the next route serves",
    async (status) => {
      const h = await twoRoutes(true);
      h.up.a.push({ status, error: { message: "Incorrect API key provided." } });

      const response = await h.chat("m");
      expect(response.status).toBe(200);
      expect(await chatText(response)).toBe("served by b");
      expect(h.up.a.requests).toHaveLength(1);
      expect(h.up.a.requests[0]?.headers["authorization"]).toBe("Bearer sk-a");
      const cooldown = await h.cooldown("lab-a:config:lab-a");
      expect(cooldown).toMatchObject({ until: START + HOUR, kind: "credential" });
      expect(cooldown?.reason).toContain("credential marked invalid");
      expect(await h.breaker("lab-a:config:lab-a")).toBeUndefined();
    },
  );
});

describe("caller faults", () => {
  const message = "scripted: this request is wrong";
  const cases: [number, "chat" | "messages" | "responses"][] = [
    [400, "chat"],
    [404, "messages"],
    [413, "responses"],
    [422, "chat"],
  ];

  it.each(cases)(
    "%i (inbound %s): returned in the caller's wire format, the upstream called once, nothing retried or recorded",
    async (status, wire) => {
      const h = await twoRoutes();
      h.up.a.push({ status, error: { message } });
      h.up.b.reset();
      const user = [{ role: "user", content: "hi" }];
      const response =
        wire === "chat"
          ? await h.chat("m")
          : wire === "messages"
            ? await h.post(
                "/v1/messages",
                { model: "m", max_tokens: 16, messages: user },
                { "anthropic-version": "2023-06-01" },
              )
            : await h.post("/v1/responses", { model: "m", input: "hi" });

      expect(response.status).toBe(status);
      const body = (await response.json()) as Record<string, unknown>;
      if (wire === "messages") {
        expect(body).toMatchObject({
          type: "error",
          error: { message: expect.stringContaining(message) as unknown },
        });
      } else {
        expect(body).toMatchObject({
          error: { message: expect.stringContaining(message) as unknown },
        });
        expect(body["type"]).toBeUndefined();
      }
      expect(h.up.a.requests).toHaveLength(1);
      expect(h.up.b.requests).toHaveLength(0);
      expect(await h.store.list("breaker:")).toEqual([]);
      expect(await h.store.list("cooldown:")).toEqual([]);
    },
  );
});
