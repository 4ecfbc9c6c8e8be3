import { afterEach, describe, expect, it } from "vitest";
import {
  FAST_RETRY,
  labProvider,
  openAiError,
  startHarness,
  type Harness,
} from "./routing-harness.js";

let harness: Harness<"local" | "us" | "eu"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A local provider and two hosted ones (us, eu), each on its own scripted upstream. */
async function threeProviders(
  policy: Record<string, unknown>,
  accounts?: (ids: Record<string, string>) => Record<string, Record<string, unknown>>,
): Promise<Harness<"local" | "us" | "eu">> {
  harness = await startHarness({
    upstreams: ["local", "us", "eu"],
    providers: (urls) => ({
      lab: labProvider(urls.local),
      "cloud-us": labProvider(urls.us, { class: "hosted", region: "us", api_key: "sk-us" }),
      "cloud-eu": labProvider(urls.eu, { class: "hosted", region: "eu", api_key: "sk-eu" }),
    }),
    aliases: { m: "cloud-us/m" },
    policy,
    routing: {
      retry: FAST_RETRY,
      // Keyed by the alias: fallbacks for `m`, none for `cloud-us/m` asked for directly.
      models: { m: { fallbacks: ["cloud-eu/m", "lab/m"] } },
    },
    ...(accounts ? { keys: ["narrow", "open", "wide"], accounts } : {}),
  });
  for (const upstream of Object.values(harness.up)) upstream.push({ text: "ok", repeat: true });
  return harness;
}

const served = (response: Response): string =>
  /provider=([^;]+)/.exec(response.headers.get("x-hedge-route") ?? "")?.[1] ?? "none";

describe("policy before ranking", () => {
  it("default local-first: configured hosted providers are skipped for the local fallback and never called", async () => {
    const h = await threeProviders({});
    const response = await h.chat("m");
    expect(response.status).toBe(200);
    expect(served(response)).toBe("lab");
    expect(h.up.us.requests).toHaveLength(0);
    expect(h.up.eu.requests).toHaveLength(0);
    const { plan } = await h.explain("m");
    expect(plan.excluded).toEqual([
      expect.objectContaining({
        route: "cloud-us:*",
        reason: 'policy: policy.allow_classes = ["local"] excludes hosted provider "cloud-us"',
      }),
      expect.objectContaining({
        route: "cloud-eu:*",
        reason: 'policy: policy.allow_classes = ["local"] excludes hosted provider "cloud-eu"',
      }),
    ]);
  });

  it("region denial: the us provider is skipped for the allowed eu one, and denied outright when it is the only target", async () => {
    const h = await threeProviders({ allow_classes: ["local", "hosted"], allow_regions: ["eu"] });
    const response = await h.chat("m");
    expect(served(response)).toBe("cloud-eu");
    expect(h.up.eu.requests[0]?.headers["authorization"]).toBe("Bearer sk-eu");
    expect(h.up.us.requests).toHaveLength(0);

    const direct = await h.chat("cloud-us/m");
    expect(direct.status).toBe(403);
    const error = await openAiError(direct);
    expect(error.type).toBe("permission_error");
    expect(error.message).toContain('policy.allow_regions = ["eu"] excludes region "us"');
    expect(h.up.us.requests).toHaveLength(0);
  });

  it("an account's allow_classes narrows the global policy but never widens it", async () => {
    const accounts = (ids: Record<string, string>) => ({
      narrow: { keys: [ids["narrow"] ?? ""], allow_classes: ["local"] },
      open: { keys: [ids["open"] ?? ""] },
    });
    const h = await threeProviders({ allow_classes: ["local", "hosted"] }, accounts);
    const as = (name: string) => ({ headers: { authorization: `Bearer ${h.keys[name] ?? ""}` } });

    // Globally allowed, narrowed away for this account: denied, naming the account's rule.
    const narrowed = await h.chat("cloud-us/m", as("narrow"));
    expect(narrowed.status).toBe(403);
    expect((await openAiError(narrowed)).message).toContain(
      'gateway.accounts.narrow.allow_classes = ["local"] excludes hosted provider "cloud-us"',
    );
    expect(served(await h.chat("m", as("narrow")))).toBe("lab");
    expect(h.up.us.requests).toHaveLength(0);
    // Another account on the same gateway still gets the hosted route.
    expect(served(await h.chat("cloud-us/m", as("open")))).toBe("cloud-us");
    expect(h.up.us.requests).toHaveLength(1);
    await harness?.close();

    const wide = (ids: Record<string, string>) => ({
      wide: { keys: [ids["wide"] ?? ""], allow_classes: ["local", "hosted"] },
    });
    const local = (harness = await threeProviders({}, wide));
    const widened = await local.chat("cloud-us/m", {
      headers: { authorization: `Bearer ${local.keys["wide"] ?? ""}` },
    });
    expect(widened.status).toBe(403);
    expect((await openAiError(widened)).message).toContain(
      'policy.allow_classes = ["local"] excludes hosted provider "cloud-us"',
    );
    expect(local.up.us.requests).toHaveLength(0);
  });
});
