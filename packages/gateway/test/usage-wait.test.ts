import { afterEach, describe, expect, it } from "vitest";
import { openAiRateLimitHeaders } from "@hedge/testkit";
import type { CanonicalRequest } from "@hedge/model-spec";
import type { ModelEvent } from "@hedge/model-spec";
import { START } from "./routing-harness.js";
import { startUsageHarness, type UsageHarness } from "./usage-harness.js";

let harness: UsageHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const request: CanonicalRequest = {
  model: "m",
  messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
  stream: true,
  metadata: { session_id: "s-wait" },
  dropped: [],
};

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const all: ModelEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe("--wait-for-reset (engine option)", () => {
  it("waits for the earliest reset instead of failing, then serves on the profile that reset", async () => {
    const waits: { resetAt: number; reason: string }[] = [];
    const h = (harness = await startUsageHarness({
      profiles: ["a", "b"],
      waitForReset: (resetAt, reason) => {
        waits.push({ resetAt, reason });
        h.clock.set(resetAt);
        return Promise.resolve();
      },
    }));
    const exhausted = (resetMs: number) => ({
      text: "ok",
      headers: openAiRateLimitHeaders({ requests: { limit: 10, remaining: 0, resetMs } }),
    });
    h.up.push(exhausted(50_000), exhausted(20_000), { text: "after the wait" });
    await collect(h.engine.stream(request));
    const second = await collect(h.engine.stream(request));
    expect(second[0]).toMatchObject({ type: "route.selected", profile: "b", switchedFrom: "a" });
    const third = await collect(h.engine.stream(request));
    expect(waits).toEqual([
      {
        resetAt: START + 20_000,
        reason: expect.stringContaining('every profile for "m" is at its limit') as string,
      },
    ]);
    expect(third.find((event) => event.type === "route.selected")).toMatchObject({ profile: "b" });
    expect(third.some((event) => event.type === "text.delta")).toBe(true);
    expect(h.served()).toEqual(["a", "b", "b"]);
  });

  it("without it, the stream fails with the earliest reset", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a"] }));
    h.up.push({
      text: "ok",
      headers: openAiRateLimitHeaders({ requests: { limit: 10, remaining: 0, resetMs: 5_000 } }),
    });
    await collect(h.engine.stream(request));
    await expect(collect(h.engine.stream(request))).rejects.toThrow(
      `earliest reset ${new Date(START + 5_000).toISOString()} (in 5s)`,
    );
  });
});
