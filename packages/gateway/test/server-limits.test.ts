import { afterEach, describe, expect, it } from "vitest";
import { errorReply, rateLimitedReply } from "@hedge/testkit";
import { FAST_RETRY, labProvider, startHarness, type Harness } from "./routing-harness.js";
import { send, trickle } from "./server-http.js";
import { startUsageHarness, type UsageHarness } from "./usage-harness.js";

let harness: Harness<"main" | "spare"> | undefined;
let usage: UsageHarness | undefined;
afterEach(async () => {
  await harness?.close();
  await usage?.close();
  harness = usage = undefined;
});

/** Chat (`lab`), Messages (`anth`) and Responses (`resp`) providers, each passed through. */
async function start(
  options: { keys?: string[]; bodyTimeoutMs?: number; fallback?: boolean } = {},
): Promise<Harness<"main" | "spare">> {
  harness = await startHarness({
    upstreams: ["main", "spare"],
    providers: (urls) => ({
      lab: labProvider(urls.main),
      spare: labProvider(urls.spare),
      anth: { type: "anthropic", base_url: `${urls.main}/v1` },
      resp: labProvider(urls.main, { wire: "responses" }),
    }),
    routing: {
      retry: FAST_RETRY,
      ...(options.fallback ? { models: { "lab/m": { fallbacks: ["spare/m"] } } } : {}),
    },
    keys: options.keys ?? [],
    server: options.bodyTimeoutMs ? { bodyTimeoutMs: options.bodyTimeoutMs } : {},
  });
  return harness;
}

const JSON_HEADERS = { "content-type": "application/json" };
const ANTHROPIC_HEADERS = { ...JSON_HEADERS, "anthropic-version": "2023-06-01" };

describe("a pass-through request without the minimum shape", () => {
  it.each([
    ["chat without messages", "/v1/chat/completions", { model: "lab/m" }, "openai"],
    [
      "chat with messages not an array",
      "/v1/chat/completions",
      { model: "lab/m", messages: "hi" },
      "openai",
    ],
    ["messages without messages", "/v1/messages", { model: "anth/c", max_tokens: 5 }, "anthropic"],
    [
      "messages with messages an object",
      "/v1/messages",
      { model: "anth/c", max_tokens: 5, messages: { role: "user" } },
      "anthropic",
    ],
    ["responses without input", "/v1/responses", { model: "resp/m" }, "openai"],
    ["responses with input a number", "/v1/responses", { model: "resp/m", input: 7 }, "openai"],
  ] as const)(
    "%s: 400 in the caller's format, not forwarded",
    async (_name, path, body, format) => {
      const h = await start();
      h.up.main.push({ text: "should not be asked", repeat: true });
      const answer = await send(h.url, {
        path,
        headers: format === "anthropic" ? ANTHROPIC_HEADERS : JSON_HEADERS,
        body: JSON.stringify(body),
      });
      expect(answer.status).toBe(400);
      const error = {
        type: "invalid_request_error",
        message: expect.stringMatching(/messages|input/) as unknown,
      };
      expect(answer.json()).toMatchObject(
        format === "anthropic" ? { type: "error", error } : { error },
      );
      expect(h.up.main.requests).toHaveLength(0);
    },
  );
});

describe("a request body that does not arrive in time", () => {
  it("is answered 408 in the caller's format and its connection closed", async () => {
    const h = await start({ bodyTimeoutMs: 300 });
    const received = await trickle(
      h.url,
      "POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n" +
        'anthropic-version: 2023-06-01\r\ncontent-length: 100000\r\n\r\n{"model":"anth/c",',
    );
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received.toLowerCase()).toContain("connection: close");
    expect(received).toContain('"type":"error"');
    expect(received).toContain("gateway.body_timeout");
    expect(h.up.main.requests).toHaveLength(0);
  });

  it("is cut off when its headers trickle in, too", async () => {
    const h = await start({ bodyTimeoutMs: 300 });
    const received = await trickle(
      h.url,
      "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ",
      "a",
    );
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(h.up.main.requests).toHaveLength(0);
  });
});

describe("a refused gateway key", () => {
  it("gets 401 and its connection closed, so each guess costs a new connection", async () => {
    const h = await start({ keys: ["ci"] });
    const answer = await send(h.url, {
      path: "/v1/chat/completions",
      headers: { ...JSON_HEADERS, authorization: "Bearer hk-guess" },
      body: JSON.stringify({ model: "lab/m", messages: [] }),
    });
    expect(answer.status).toBe(401);
    expect(answer.headers["connection"]).toBe("close");
    await answer.closed;
    expect(h.up.main.requests).toHaveLength(0);
  });
});

describe("a 429 from the gateway", () => {
  const chat = (h: Harness<"main" | "spare">) =>
    send(h.url, {
      path: "/v1/chat/completions",
      headers: JSON_HEADERS,
      body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
    });

  it("says when to retry: the provider's reset, then what is left of the cooldown", async () => {
    const h = await start();
    h.up.main.push(rateLimitedReply({ retryAfterSeconds: 17 }));
    const first = await chat(h);
    expect(first.status).toBe(429);
    expect(first.headers["retry-after"]).toBe("17");

    h.clock.advance(10_000);
    const cooling = await chat(h);
    expect(cooling.status).toBe(429);
    expect(cooling.headers["retry-after"]).toBe("7");
    expect(h.up.main.requests).toHaveLength(1);
  });

  it("says when to retry when the last route was rate limited after another failed", async () => {
    const h = await start({ fallback: true });
    h.up.main.push(errorReply(500), errorReply(500));
    h.up.spare.push(rateLimitedReply({ retryAfterSeconds: 40 }));
    const answer = await chat(h);
    expect(answer.status).toBe(429);
    expect(answer.json()).toMatchObject({ error: { code: "routes_exhausted" } });
    expect(answer.headers["retry-after"]).toBe("40");
  });

  it("says when to retry when the gateway's own declared limit refuses (usage_exhausted)", async () => {
    usage = await startUsageHarness({
      profiles: ["a"],
      settings: { a: { limits: { requests_per_minute: 1 } } },
    });
    usage.up.push({ text: "ok", repeat: true });
    expect((await usage.ask()).status).toBe(200);
    usage.clock.advance(15_000);
    const refused = await usage.ask();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      "usage_exhausted",
    );
    expect(refused.headers.get("retry-after")).toBe("45");
  });
});
