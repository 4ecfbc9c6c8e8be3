import { afterEach, describe, expect, it } from "vitest";
import { FAST_RETRY, labProvider, startHarness, type Harness } from "./routing-harness.js";
import { send, type Answer } from "./server-http.js";

// hedge's admin API (`/hedge/v1/*`): routing state for a remote ModelClient, behind the same
// key and keyless rules as the model routes, answering model-spec views that never carry a key.

let harness: Harness<"main"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const PROVIDER_KEY = "sk-live-provider-0123456789abcdef";
const BYOK_KEY = "sk-byok-caller-fedcba9876543210";
const ANTHROPIC_KEY = "sk-ant-route-key-0123456789abcdef";

/** A canonical request to count: one user message and one tool. */
function toCount(model: string): Record<string, unknown> {
  return {
    model,
    messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }],
    tools: [
      {
        name: "read_file",
        description: "Read a file",
        parameters: { type: "object", properties: { path: { type: "string" } } },
      },
    ],
    stream: false,
    metadata: {},
    dropped: [],
  };
}

async function start(keys: readonly string[] = []): Promise<Harness<"main">> {
  harness = await startHarness({
    upstreams: ["main"],
    providers: (urls) => ({
      lab: labProvider(urls.main),
      paid: labProvider(urls.main, { api_key: PROVIDER_KEY }),
      claude: labProvider(urls.main, { wire: "messages", api_key: ANTHROPIC_KEY }),
      // An Anthropic-wire provider whose count endpoint is missing (404).
      broken: { base_url: `${urls.main}/nowhere`, wire: "messages", api_key: ANTHROPIC_KEY },
    }),
    routing: { retry: FAST_RETRY },
    keys,
    server: { allowedOrigins: ["http://localhost:5173"] },
  });
  return harness;
}

/** Every endpoint, with a request it accepts. */
const ENDPOINTS: { method: string; path: string; body?: unknown; ok: number }[] = [
  { method: "POST", path: "/hedge/v1/route/explain", body: { model: "lab/m" }, ok: 200 },
  {
    method: "POST",
    path: "/hedge/v1/verdicts",
    body: { model: "lab/m", verdict: "pass" },
    ok: 204,
  },
  { method: "GET", path: "/hedge/v1/usage", ok: 200 },
  { method: "POST", path: "/hedge/v1/count-tokens", body: toCount("claude/sonnet"), ok: 200 },
  { method: "GET", path: "/hedge/v1/status", ok: 200 },
  { method: "GET", path: "/hedge/v1/stats?since=2029-12-31T00:00:00Z&by=model", ok: 200 },
];

function call(
  h: Harness<"main">,
  endpoint: (typeof ENDPOINTS)[number],
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send(h.url, {
    method: endpoint.method,
    path: endpoint.path,
    headers: {
      ...(endpoint.body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    ...(endpoint.body === undefined ? {} : { body: JSON.stringify(endpoint.body) }),
  });
}

describe("the admin API with gateway keys", () => {
  it.each(ENDPOINTS)(
    "$method $path answers 401 without a key, and serves with one",
    async (endpoint) => {
      const h = await start(["ci"]);
      const refused = await call(h, endpoint);
      expect(refused.status).toBe(401);
      expect(refused.json()).toEqual({
        error: { code: "unauthorized", message: "missing or invalid gateway key" },
      });
      expect(refused.headers["x-hedge-admin"]).toBe("v1");
      const wrong = await call(h, endpoint, { authorization: "Bearer hedge_not-a-key" });
      expect(wrong.status).toBe(401);

      const served = await call(h, endpoint, { authorization: `Bearer ${h.keys["ci"]}` });
      expect(served.status, served.text).toBe(endpoint.ok);
    },
  );

  it("counts a verdict only from a caller with a key", async () => {
    const h = await start(["ci"]);
    const verdicts = ENDPOINTS[1] as (typeof ENDPOINTS)[number];
    await call(h, verdicts);
    await call(h, verdicts, { authorization: `Bearer ${h.keys["ci"]}` });
    await h.engine.flush();
    const stats = await call(h, ENDPOINTS[5] as (typeof ENDPOINTS)[number], {
      authorization: `Bearer ${h.keys["ci"]}`,
    });
    expect(stats.json()).toMatchObject({
      by: "model",
      rows: [{ key: "lab/m", calls: 0, qa: { pass: 1, add_tasks: 0, block: 0 } }],
    });
  });
});

describe("the admin API without keys (loopback only)", () => {
  it.each(ENDPOINTS)(
    "$method $path refuses a foreign Host and a foreign Origin",
    async (endpoint) => {
      const h = await start();
      const rebound = await call(h, endpoint, { host: "evil.example:4141" });
      expect(rebound.status).toBe(403);
      expect(rebound.json()).toMatchObject({ error: { code: "forbidden_host" } });
      const page = await call(h, endpoint, { origin: "http://evil.example" });
      expect(page.status).toBe(403);
      expect(page.json()).toMatchObject({ error: { code: "forbidden_origin" } });
      expect(page.headers["access-control-allow-origin"]).toBeUndefined();

      const local = await call(h, endpoint);
      expect(local.status, local.text).toBe(endpoint.ok);
    },
  );

  it("takes a POST only as JSON: a page's text/plain verdict is refused and not counted", async () => {
    const h = await start();
    const answer = await send(h.url, {
      path: "/hedge/v1/verdicts",
      headers: { "content-type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ model: "lab/m", verdict: "block" }),
    });
    expect(answer.status).toBe(415);
    expect(answer.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
    await h.engine.flush();
    expect(await h.store.listAudit()).toEqual([]);
  });

  it("names what is wrong in bad input, in hedge's error shape", async () => {
    const h = await start();
    const verdict = await send(h.url, {
      path: "/hedge/v1/verdicts",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "lab/m", verdict: "maybe" }),
    });
    expect(verdict.status).toBe(400);
    expect(verdict.json()).toMatchObject({
      error: { code: "invalid_request", message: expect.stringContaining("at verdict") as string },
    });
    const stats = await send(h.url, { method: "GET", path: "/hedge/v1/stats?since=yesterday" });
    expect(stats.status).toBe(400);
    const unknown = await send(h.url, { method: "GET", path: "/hedge/v1/keys" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers["x-hedge-admin"]).toBe("v1");
    expect(unknown.json()).toMatchObject({
      error: { code: "not_found", hint: expect.stringContaining("/hedge/v1/usage") as string },
    });
    const method = await send(h.url, { method: "GET", path: "/hedge/v1/verdicts" });
    expect(method.status).toBe(405);
  });

  it("explains a model it does not know as a 404 from hedge, not a missing API", async () => {
    const h = await start();
    const answer = await send(h.url, {
      path: "/hedge/v1/route/explain",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "nowhere/x" }),
    });
    expect(answer.status).toBe(404);
    expect(answer.headers["x-hedge-admin"]).toBe("v1");
    expect(answer.json()).toMatchObject({ error: { code: "model_not_found" } });
  });
});

describe("count-tokens", () => {
  const countIt = (h: Harness<"main">, model: string): Promise<Answer> =>
    call(h, { method: "POST", path: "/hedge/v1/count-tokens", body: toCount(model), ok: 200 });

  it("asks an Anthropic-wire route's provider with the route's key, and answers its count", async () => {
    const h = await start();
    const answer = await countIt(h, "claude/sonnet");
    expect(answer.status, answer.text).toBe(200);
    const counted = h.up.main.requestsTo("/v1/messages/count_tokens");
    expect(counted).toHaveLength(1);
    expect(counted[0]?.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    const sent = counted[0]?.body as Record<string, unknown>;
    // Only what Anthropic's endpoint accepts: no max_tokens, no stream.
    expect(Object.keys(sent).sort()).toEqual(["messages", "model", "tools"]);
    const expected = Math.ceil(
      JSON.stringify({ messages: sent["messages"], tools: sent["tools"] }).length / 4,
    );
    expect(answer.json()).toEqual({
      count: { inputTokens: expected, provider: "claude", model: "sonnet" },
    });
    expect(answer.text).not.toContain(ANTHROPIC_KEY);
    // A count is not a model call: nothing was served from the script.
    expect(h.up.main.requestsTo("/v1/messages")).toHaveLength(0);
  });

  it("answers null for a provider without a count endpoint, asking nothing upstream", async () => {
    const h = await start();
    const answer = await countIt(h, "lab/m");
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ count: null });
    expect(h.up.main.requests).toHaveLength(0);
  });

  it("a failing count is one hedge error naming the provider and status, without the key", async () => {
    const h = await start();
    const answer = await countIt(h, "broken/sonnet");
    expect(answer.status).toBe(502);
    expect(answer.json()).toMatchObject({
      error: { code: "count_failed", message: "broken could not count tokens: answered 404" },
    });
    expect(answer.text).not.toContain(ANTHROPIC_KEY);
  });

  it("refuses a body that is not a canonical request", async () => {
    const h = await start();
    const answer = await send(h.url, {
      path: "/hedge/v1/count-tokens",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "claude/sonnet" }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: { code: "invalid_request" } });
  });
});

describe("no key material in any admin view", () => {
  it("a provider's and a caller's key quoted back by the provider stay out of every view", async () => {
    const h = await start(["ci", "other"]);
    // The provider refuses both keys and quotes each back, as some providers do.
    h.up.main.push(
      { status: 401, error: { message: `Incorrect API key provided: ${PROVIDER_KEY}.` } },
      { status: 401, error: { message: `Incorrect API key provided: ${BYOK_KEY}.` } },
    );
    const key = { authorization: `Bearer ${h.keys["ci"]}` };
    const paid = await h.chat("paid/m", { headers: key });
    expect(paid.status).toBeGreaterThanOrEqual(400);
    const byok = await h.chat("lab/m", { headers: { ...key, "x-hedge-byok": `lab=${BYOK_KEY}` } });
    expect(byok.status).toBeGreaterThanOrEqual(400);
    await h.engine.flush();
    // The refusals were recorded with the quoted keys already scrubbed (the attempt runner).
    const cooldowns = await h.store.list<{ reason: string }>("cooldown:");
    expect(cooldowns).toHaveLength(2);
    const reasons = JSON.stringify(cooldowns);
    expect(reasons).not.toContain(PROVIDER_KEY);
    expect(reasons).not.toContain(BYOK_KEY);
    // The views scrub what another writer stored unscrubbed (an older hedge on the same Redis).
    for (const [index, { key: stored, value }] of cooldowns.entries()) {
      const quoted = index === 0 ? PROVIDER_KEY : BYOK_KEY;
      await h.store.set(stored, {
        ...value,
        reason: value.reason.replace("[redacted]", quoted),
      });
    }
    expect(JSON.stringify(await h.store.list("cooldown:"))).toContain(PROVIDER_KEY);

    // Another account's key reads every view.
    const other = { authorization: `Bearer ${h.keys["other"]}` };
    const answers = await Promise.all([
      ...ENDPOINTS.filter((endpoint) => endpoint.method === "GET").map((endpoint) =>
        call(h, endpoint, other),
      ),
      ...["paid/m", "lab/m"].map((model) =>
        call(
          h,
          { method: "POST", path: "/hedge/v1/route/explain", body: { model }, ok: 200 },
          other,
        ),
      ),
    ]);
    const everything = answers.map((answer) => answer.text).join("\n");
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    // The views do show the refusals, with the keys replaced.
    expect(everything).toContain("Incorrect API key provided: [redacted]");
    for (const secret of [PROVIDER_KEY, BYOK_KEY, h.keys["ci"], h.keys["other"]]) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain((secret as string).slice(-12));
    }
  });
});
