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

// The audit log and /metrics agree on a failed request: its attempts with provider, route and
// model, and the provider it failed on (never `provider="none"` when a route was tried).

let harness: Harness<"a"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function failingProvider(): Promise<Harness<"a">> {
  harness = await startHarness({
    upstreams: ["a"],
    providers: (urls) => ({ lab: labProvider(urls.a) }),
    routing: { retry: FAST_RETRY },
  });
  harness.up.a.push({ status: 503, error: { message: "unavailable" }, repeat: true });
  return harness;
}

async function lastEntry(h: Harness<"a">): Promise<AuditEntry> {
  return eventually(async () => {
    await h.engine.flush();
    const [entry] = await h.store.listAudit({ limit: 1 });
    if (!entry) throw new Error("no audit entry yet");
    return entry;
  });
}

function expectRecorded(entry: AuditEntry, metrics: string): void {
  expect(entry.outcome).toMatch(/^gateway_error/);
  expect(metrics).toContain('hedge_gateway_errors_total{provider="lab",outcome="gateway_error"} 1');
  expect(metrics).not.toContain('provider="none"');
  expect(entry.call).toMatchObject({ provider: "lab", upstream_model: "m" });
  expect(entry.attempts).toEqual([
    expect.objectContaining({ route: "lab:none", model: "m", status: 503 }),
    expect.objectContaining({ route: "lab:none", model: "m", status: 503 }),
  ]);
}

describe("a failed request is recorded with the routes it tried", () => {
  it("over HTTP: the audit entry lists both attempts and the provider; /metrics names it", async () => {
    const h = await failingProvider();
    const response = await h.chat("lab/m");
    expect(response.status).toBe(503);
    const entry = await lastEntry(h);
    expectRecorded(entry, await (await fetch(`${h.url}/metrics`)).text());
  });

  it("embedded: the same", async () => {
    const h = await failingProvider();
    const request: CanonicalRequest = {
      model: "lab/m",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      stream: true,
      metadata: {},
      dropped: [],
    };
    const events = async (): Promise<void> => {
      for await (const _event of h.engine.stream(request)) {
        // Nothing arrives: every try fails before the answer starts.
      }
    };
    await expect(events()).rejects.toThrow(/every route for "lab\/m" failed/);
    const entry = await lastEntry(h);
    expectRecorded(entry, await (await fetch(`${h.url}/metrics`)).text());
  });
});
