// A provider may quote the key it refused in its error text. That text becomes the error a caller
// reads, a caller fault's body, a cooldown's reason and the audit log: none may carry the key.
import { afterEach, describe, expect, it } from "vitest";
import { FAST_RETRY, labProvider, startHarness, type Harness } from "./routing-harness.js";

const KEY = "gw-managed-4f1c9a7e2b6d8e0f3a5c";

let harness: Harness<"a"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness<"a">> {
  harness = await startHarness({
    upstreams: ["a"],
    providers: (urls) => ({ lab: labProvider(urls.a, { api_key: KEY }) }),
    routing: { retry: FAST_RETRY },
  });
  return harness;
}

const quoting = (status: number) => ({
  status,
  error: { message: `Incorrect API key provided: ${KEY}. You can find your key at …` },
});

describe("a key quoted in a provider's error", () => {
  it("is scrubbed from the routes-exhausted error over HTTP and in-process, and from what is stored", async () => {
    const h = await start();
    h.up.a.push(quoting(401));
    const response = await h.chat("lab/m");
    const text = await response.text();
    expect(response.status).toBe(403);
    expect(text).toContain("routes_exhausted");
    expect(text).toContain("Incorrect API key provided");
    expect(text).not.toContain(KEY);

    h.up.a.push(quoting(401));
    // In-process, the key now refused is cooled down: the error quotes the stored reason.
    let failure = "no error";
    try {
      for await (const event of h.engine.stream({
        model: "lab/m",
        messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
        stream: true,
        metadata: {},
        dropped: [],
      })) {
        if (event.type === "error") failure = event.error.message;
      }
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    expect(failure).toContain("Incorrect API key provided");
    expect(failure).not.toContain(KEY);
    const stored = JSON.stringify([await h.store.list(""), await h.store.listAudit()]);
    expect(stored).toContain("credential");
    expect(stored).not.toContain(KEY);
  });

  it("is scrubbed from a caller fault's body passed through to the caller", async () => {
    const h = await start();
    h.up.a.push(quoting(400));
    const response = await h.chat("lab/m");
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).toContain("Incorrect API key provided");
    expect(text).not.toContain(KEY);
  });
});
