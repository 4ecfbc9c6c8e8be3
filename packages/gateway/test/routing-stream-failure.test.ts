import { afterEach, describe, expect, it } from "vitest";
import {
  FAST_RETRY,
  eventually,
  labProvider,
  startHarness,
  type Harness,
} from "./routing-harness.js";

let harness: Harness<"a" | "b"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const text = "one two three four five six seven eight nine ten";

async function flakyStream(): Promise<Harness<"a" | "b">> {
  harness = await startHarness({
    upstreams: ["a", "b"],
    providers: (urls) => ({ "lab-a": labProvider(urls.a), "lab-b": labProvider(urls.b) }),
    aliases: { m: "lab-a/m" },
    routing: { retry: FAST_RETRY, models: { "lab-a/m": { fallbacks: ["lab-b/m"] } } },
  });
  harness.up.a.push({ text, disconnectAfterChunks: 3 });
  harness.up.b.push({ text: "must not be used", repeat: true });
  return harness;
}

/** The stream failure is counted against the route and recorded in the audit log. */
async function expectCounted(h: Harness<"a" | "b">): Promise<void> {
  expect(h.up.a.requests).toHaveLength(1);
  expect(h.up.b.requests).toHaveLength(0);
  await eventually(async () => {
    const breaker = await h.breaker("lab-a:none");
    expect(breaker).toMatchObject({ state: "closed", consecutiveFailures: 1 });
    expect(breaker?.window.map((sample) => sample.ok)).toEqual([false]);
  });
  await eventually(async () => {
    await h.engine.flush();
    const [entry] = await h.store.listAudit({ limit: 1 });
    expect(entry).toMatchObject({
      model: "m",
      outcome: "stream_error (api_error)",
      attempts: [{ route: "lab-a:none", outcome: "ok" }],
    });
  });
}

describe("a stream that breaks after bytes reached the client", () => {
  it("same wire (pass-through): not retried; the chat stream ends with an OpenAI error frame", async () => {
    const h = await flakyStream();
    const response = await h.chat("m", { stream: true });
    expect(response.status).toBe(200);
    const body = await response.text();
    const frames = body
      .split("\n\n")
      .filter((frame) => frame.startsWith("data: "))
      .map((frame) => frame.slice("data: ".length));
    expect(frames.length).toBeGreaterThan(1);
    const last = JSON.parse(frames.at(-1) ?? "{}") as { error?: { type: string; message: string } };
    expect(last.error?.type).toBe("api_error");
    expect(last.error?.message).toContain("upstream stream failed");
    expect(body).not.toContain("[DONE]");
    expect(body).not.toContain("must not be used");
    await expectCounted(h);
  });

  it("translated (Messages in, Chat upstream): not retried; ends with an Anthropic error event", async () => {
    const h = await flakyStream();
    const response = await h.post(
      "/v1/messages",
      {
        model: "m",
        max_tokens: 64,
        stream: true,
        messages: [{ role: "user", content: "count" }],
      },
      { "anthropic-version": "2023-06-01" },
    );
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain("event: message_start");
    const events = body.trim().split("\n\n");
    const last = events.at(-1) ?? "";
    expect(last.startsWith("event: error\n")).toBe(true);
    const data = JSON.parse(last.split("\ndata: ")[1] ?? "{}") as {
      type: string;
      error: { type: string; message: string };
    };
    expect(data).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect(data.error.message).toContain("lab-a stream failed");
    expect(body).not.toContain("message_stop");
    await expectCounted(h);
  });
});
