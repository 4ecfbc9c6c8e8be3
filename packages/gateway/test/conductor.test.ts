import { afterEach, describe, expect, it } from "vitest";
import type { CanonicalRequest } from "@hedge/model-spec";
import type { AuditEntry } from "../src/store/store.js";
import {
  FAST_RETRY,
  eventually,
  labProvider,
  startHarness,
  type Harness,
} from "./routing-harness.js";

// One conductor serves both doors: a call made in-process (engine.stream, the embedded client)
// and the same call over HTTP (bytes streamed through, or translated) are routed, classified and
// recorded alike. What the caller sees differs only by its wire format.

let harness: Harness<"a"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** One local provider; its breaker would open at the first failure counted against it. */
async function provider(): Promise<Harness<"a">> {
  harness = await startHarness({
    upstreams: ["a"],
    providers: (urls) => ({ lab: labProvider(urls.a) }),
    routing: { retry: FAST_RETRY, breaker: { failure_threshold: 1, min_calls: 1 } },
  });
  return harness;
}

/** What a caller saw: a whole answer, or an error with its status and type. */
type Seen = { answer: string } | { status: number; type: string; message: string };

interface CallOptions {
  signal?: AbortSignal;
  role?: string;
  session?: string;
}

/** The three doors: the embedded client's, and HTTP in the provider's wire and in another. */
const DOORS: [string, (h: Harness<"a">, options: CallOptions) => Promise<Seen>][] = [
  ["embedded (engine.stream)", embedded],
  ["HTTP streamed through (chat in, chat upstream)", (h, options) => overHttp(h, "chat", options)],
  [
    "HTTP translated (messages in, chat upstream)",
    (h, options) => overHttp(h, "messages", options),
  ],
];

async function embedded(h: Harness<"a">, options: CallOptions): Promise<Seen> {
  const request: CanonicalRequest = {
    model: "lab/m",
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    stream: true,
    metadata: {
      ...(options.role ? { role: options.role } : {}),
      ...(options.session ? { session_id: options.session } : {}),
    },
    dropped: [],
  };
  let answer = "";
  for await (const event of h.engine.stream(
    request,
    options.signal ? { signal: options.signal } : {},
  )) {
    if (event.type === "text.delta") answer += event.text;
    if (event.type === "error")
      return {
        status: event.error.status ?? 0,
        type: event.error.type,
        message: event.error.message,
      };
  }
  return { answer };
}

async function overHttp(
  h: Harness<"a">,
  wire: "chat" | "messages",
  options: CallOptions,
): Promise<Seen> {
  const response = await fetch(`${h.url}/v1/${wire === "chat" ? "chat/completions" : "messages"}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "anthropic-version": "2023-06-01",
      ...(options.role ? { "x-hedge-role": options.role } : {}),
      ...(options.session ? { "x-hedge-session": options.session } : {}),
    },
    body: JSON.stringify({
      model: "lab/m",
      max_tokens: 64,
      messages: [{ role: "user", content: "hi" }],
    }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const body = (await response.json()) as {
    error?: { type: string; message: string };
    choices?: { message: { content: string } }[];
    content?: { text: string }[];
  };
  if (body.error)
    return { status: response.status, type: body.error.type, message: body.error.message };
  return { answer: body.choices?.[0]?.message.content ?? body.content?.[0]?.text ?? "" };
}

async function lastEntry(h: Harness<"a">): Promise<AuditEntry> {
  return eventually(async () => {
    await h.engine.flush();
    const [entry] = await h.store.listAudit({ limit: 1 });
    if (!entry) throw new Error("no audit entry yet");
    return entry;
  });
}

describe("one conductor for the embedded and the HTTP path", () => {
  it.each(DOORS)(
    "%s: a caller fault is answered with the provider's error, not retried, recorded alike",
    async (_door, call) => {
      const h = await provider();
      h.up.a.push({
        status: 400,
        error: { message: "tools[0].name is too long", type: "invalid_request_error" },
      });
      const seen = await call(h, {});
      expect(seen).toMatchObject({ status: 400, type: "invalid_request_error" });
      expect((seen as { message: string }).message).toContain("tools[0].name is too long");
      expect(h.up.a.requests).toHaveLength(1);
      // The caller's own fault says nothing about the provider.
      expect(await h.breaker("lab:none")).toBeUndefined();
      const entry = await lastEntry(h);
      expect(entry.outcome).toBe("upstream_error (invalid_request_error)");
      expect(entry.call).toMatchObject({ provider: "lab", outcome: "upstream_error" });
      expect(entry.attempts).toHaveLength(1);
      expect(entry.attempts[0]).toMatchObject({ route: "lab:none", status: 400 });
      expect(entry.attempts[0]?.outcome).toMatch(/^caller/);
      // The provider is still in rotation.
      h.up.a.push({ text: "fine" });
      expect(await call(h, {})).toEqual({ answer: "fine" });
    },
  );

  it.each(DOORS)(
    "%s: a cancel while the provider is still thinking is a 499 client_closed, no provider failure",
    async (_door, call) => {
      const h = await provider();
      h.up.a.push({ text: "late", latencyMs: 5_000 });
      const outcome = await call(h, { signal: AbortSignal.timeout(300) }).catch(
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(Error);
      const entry = await lastEntry(h);
      expect(entry.outcome).toBe("client_closed (client_closed)");
      expect(entry.call).toMatchObject({ provider: "lab", outcome: "client_closed" });
      expect(entry.attempts).toEqual([
        expect.objectContaining({ route: "lab:none", outcome: "client_closed" }),
      ]);
      expect(await h.breaker("lab:none")).toBeUndefined();
      h.up.a.push({ text: "fine" });
      expect(await call(h, {})).toEqual({ answer: "fine" });
    },
  );

  it.each(DOORS)("%s: the role and session of a call reach hedge stats", async (_door, call) => {
    const h = await provider();
    h.up.a.push({ text: "done", usage: { inputTokens: 12, outputTokens: 3 } });
    expect(await call(h, { role: "executor", session: "s-1" })).toEqual({ answer: "done" });
    const entry = await lastEntry(h);
    expect(entry.outcome).toBe("ok");
    expect(entry.call).toMatchObject({
      role: "executor",
      session: "s-1",
      provider: "lab",
      input_tokens: 12,
      output_tokens: 3,
      outcome: "ok",
    });
  });
});
