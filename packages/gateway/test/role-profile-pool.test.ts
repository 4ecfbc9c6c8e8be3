import { afterEach, describe, expect, it } from "vitest";
import type { CanonicalRequest } from "@hedge/model-spec";
import type { ModelEvent } from "@hedge/model-spec";
import { startUsageHarness, type UsageHarness } from "./usage-harness.js";

let harness: UsageHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** An embedded call as a role makes it: its profile pool in the request's metadata. */
async function ask(h: UsageHarness, profiles: string[]): Promise<ModelEvent[]> {
  const request: CanonicalRequest = {
    model: "m",
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    stream: true,
    metadata: { role: "qa", profiles },
    dropped: [],
  };
  const events: ModelEvent[] = [];
  for await (const event of h.engine.stream(request)) events.push(event);
  return events;
}

describe("a role's login profile pool", () => {
  it("only its profiles serve the role's calls, whichever the pool would pick first", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a", "b", "c"] }));
    h.up.push({ text: "ok" }, { text: "ok" });
    await ask(h, ["c"]);
    // c is now the pool's current member, but not in this role's pool.
    await ask(h, ["a", "b"]);
    expect(h.served()).toEqual(["c", "a"]);
  });

  it("a pool with no logged-in profile is an error naming the pool; nothing is called", async () => {
    const h = (harness = await startUsageHarness({ profiles: ["a"] }));
    const error = (await ask(h, ["gone"]).catch((caught: unknown) => caught)) as {
      code?: string;
      message?: string;
      hint?: string;
    };
    expect(error.code).toBe("no_credential");
    expect(error.message).toBe('no credential for lab in the profile pool [gone] (model "m")');
    expect(error.hint).toContain("hedge auth login --provider lab --profile gone");
    expect(h.served()).toEqual([]);
  });
});
