import { afterEach, describe, expect, it } from "vitest";
import { FAST_RETRY, labProvider, startHarness, type Harness } from "./routing-harness.js";

let harness: Harness<"a"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const refused = { status: 401, error: { message: "Incorrect API key provided." } };

describe("BYOK and managed keys", () => {
  it.each([
    ["byok", "Bearer sk-caller", "Bearer sk-managed"],
    ["managed", "Bearer sk-managed", "Bearer sk-caller"],
  ] as const)(
    'prefer = "%s": that key goes first, and a refusal falls through to the other',
    async (prefer, first, second) => {
      const h = (harness = await startHarness({
        upstreams: ["a"],
        // The gateway's managed key for `lab` is the provider's config key.
        providers: (urls) => ({ lab: labProvider(urls.a, { api_key: "sk-managed" }) }),
        routing: { retry: FAST_RETRY },
        keys: ["team"],
        accounts: (ids) => ({ team: { keys: [ids["team"] ?? ""], prefer } }),
      }));
      const headers = {
        authorization: `Bearer ${h.keys["team"] ?? ""}`,
        "x-hedge-byok": "lab=sk-caller",
      };

      const explained = await h.engine.explain({
        model: "lab/m",
        caller: {
          account: "team",
          accountConfig: { keys: [], prefer, managed: true },
          byok: new Map([["lab", "sk-caller"]]),
        },
      });
      const byokRoute = explained.plan.candidates.find((c) => c.credential.source === "caller");
      expect(byokRoute?.id).toMatch(/^lab:byok:[0-9a-f]{8}$/);
      expect(explained.plan.attempts[0]?.credential.source).toBe(
        prefer === "byok" ? "caller" : "config",
      );

      h.up.a.push({ text: "first key works" });
      expect((await h.chat("lab/m", { headers })).status).toBe(200);
      expect(h.up.a.requests.map((request) => request.headers["authorization"])).toEqual([first]);

      h.up.a.push(refused, { text: "second key works" });
      const response = await h.chat("lab/m", { headers });
      expect(response.status).toBe(200);
      expect(h.up.a.requests.map((request) => request.headers["authorization"])).toEqual([
        first,
        first,
        second,
      ]);
      // Only the refused credential's route is cooled down; the other stays usable.
      const refusedRoute = prefer === "byok" ? (byokRoute?.id ?? "") : "lab:config:lab";
      const otherRoute = prefer === "byok" ? "lab:config:lab" : (byokRoute?.id ?? "");
      expect(await h.cooldown(refusedRoute)).toMatchObject({ kind: "credential" });
      expect(await h.cooldown(otherRoute)).toBeUndefined();
      // The caller's key is never stored.
      const stored = JSON.stringify([await h.store.list(""), await h.store.listAudit()]);
      expect(stored).not.toContain("sk-caller");
      expect(stored).not.toContain("sk-managed");
    },
  );

  it("an account with managed = false never uses the gateway's key", async () => {
    const h = (harness = await startHarness({
      upstreams: ["a"],
      providers: (urls) => ({ lab: labProvider(urls.a, { api_key: "sk-managed" }) }),
      routing: { retry: FAST_RETRY },
      keys: ["guest"],
      accounts: (ids) => ({ guest: { keys: [ids["guest"] ?? ""], managed: false } }),
    }));
    const key = `Bearer ${h.keys["guest"] ?? ""}`;
    h.up.a.push(refused);
    const response = await h.chat("lab/m", {
      headers: { authorization: key, "x-hedge-byok": "lab=sk-caller" },
    });
    expect(response.status).toBe(401);
    expect(h.up.a.requests.map((request) => request.headers["authorization"])).toEqual([
      "Bearer sk-caller",
    ]);
    // Without its own key the account has no route at all.
    const without = await h.chat("lab/m", { headers: { authorization: key } });
    expect(without.status).toBe(401);
    expect(h.up.a.requests).toHaveLength(1);
  });
});
