import { afterEach, describe, expect, it } from "vitest";
import type { CanonicalRequest } from "@hedge/model-spec";
import {
  FAST_RETRY,
  eventually,
  labProvider,
  startHarness,
  type Harness,
} from "./routing-harness.js";

// A caller's cancel is not a provider failure: Ctrl-C (an aborted signal), a client that hangs
// up or times out never counts toward a breaker, and is recorded as 499 client_closed.

let harness: Harness<"a"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A healthy local provider whose breaker would open at the second failure. */
async function slowProvider(): Promise<Harness<"a">> {
  harness = await startHarness({
    upstreams: ["a"],
    providers: (urls) => ({ lab: labProvider(urls.a) }),
    routing: { retry: FAST_RETRY, breaker: { failure_threshold: 2 } },
  });
  return harness;
}

const SLOW = {
  text: "a slow answer that takes a while to stream in full to the caller",
  chunkIntervalMs: 150,
};
const CANCELS = 3;

const request: CanonicalRequest = {
  model: "lab/m",
  messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
  stream: true,
  metadata: {},
  dropped: [],
};

/** Every request recorded so far ends as 499 client_closed, in the audit and the metrics. */
async function expectClientClosed(h: Harness<"a">, count: number): Promise<void> {
  const audit = await eventually(async () => {
    await h.engine.flush();
    const entries = await h.store.listAudit();
    expect(entries).toHaveLength(count);
    return entries;
  });
  for (const entry of audit) {
    expect(entry.outcome).toMatch(/^client_closed/);
    expect(entry.call).toMatchObject({ provider: "lab", outcome: "client_closed" });
  }
  const metrics = await (await fetch(`${h.url}/metrics`)).text();
  expect(metrics).toContain(
    `hedge_gateway_errors_total{provider="lab",outcome="client_closed"} ${count}`,
  );
  expect(metrics).toMatch(
    /hedge_gateway_requests_total\{provider="lab",inbound="[a-z]+",status="499"\}/,
  );
  expect(metrics).not.toMatch(/status="5\d\d"|outcome="stream_error"/);
}

/** The provider is still in rotation: the next request is served. */
async function expectHealthy(h: Harness<"a">): Promise<void> {
  h.up.a.push({ text: "still here" });
  const response = await h.chat("lab/m");
  expect(response.status).toBe(200);
}

describe("a caller's cancel is not a provider failure", () => {
  it("embedded: aborting engine.stream mid-stream (Ctrl-C) opens no breaker, records 499 client_closed", async () => {
    const h = await slowProvider();
    for (let cancel = 0; cancel < CANCELS; cancel += 1) {
      h.up.a.push(SLOW);
      const controller = new AbortController();
      let deltas = 0;
      for await (const event of h.engine.stream(request, { signal: controller.signal })) {
        if (event.type === "text.delta") {
          deltas += 1;
          controller.abort();
        }
      }
      expect(deltas).toBe(1);
    }
    expect(await h.breaker("lab:none")).toBeUndefined();
    await expectClientClosed(h, CANCELS);
    await expectHealthy(h);
  });

  it.each([
    ["streamed through untouched (chat in, chat upstream)", "/v1/chat/completions"],
    ["translated (messages in, chat upstream)", "/v1/messages"],
  ])(
    "HTTP: a client that hangs up mid-stream, %s, opens no breaker and is recorded 499",
    async (_name, path) => {
      const h = await slowProvider();
      for (let cancel = 0; cancel < CANCELS; cancel += 1) {
        h.up.a.push(SLOW);
        const client = new AbortController();
        const response = await fetch(`${h.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
          body: JSON.stringify({
            model: "lab/m",
            stream: true,
            max_tokens: 64,
            messages: [{ role: "user", content: "hi" }],
          }),
          signal: client.signal,
        });
        expect(response.status).toBe(200);
        const reader = response.body?.getReader();
        await reader?.read();
        client.abort();
        // The upstream sees the hang-up passed on before the next round.
        await eventually(() => expect(h.up.a.requests).toHaveLength(cancel + 1));
      }
      expect(await h.breaker("lab:none")).toBeUndefined();
      await expectClientClosed(h, CANCELS);
      await expectHealthy(h);
    },
  );

  it("HTTP: a client that times out while the provider is still thinking is recorded 499, not 500", async () => {
    const h = await slowProvider();
    h.up.a.push({ text: "late", latencyMs: 5_000 });
    const outcome = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
      signal: AbortSignal.timeout(300),
    }).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(Error);
    expect(await h.breaker("lab:none")).toBeUndefined();
    await expectClientClosed(h, 1);
    await expectHealthy(h);
  });
});
