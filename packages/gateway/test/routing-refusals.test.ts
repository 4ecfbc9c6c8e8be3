import { afterEach, describe, expect, it } from "vitest";
import { providerRefusals, type ScriptReply } from "@hedge/testkit";
import { listCooldowns } from "../src/routing/health.js";
import {
  FAST_RETRY,
  START,
  labProvider,
  openAiError,
  startHarness,
  type Harness,
} from "./routing-harness.js";

// One error is not an outage: a refusal marks what the provider says it is about (the key, one
// model, the account), and a provider without a key has no key to blame.

let harness: Harness<"a"> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const HOUR = 3_600_000;

/** `openai` (Chat wire, key `sk-openai`) and `anth` (Messages wire, key `sk-anth`) on one upstream. */
async function keyedProviders(): Promise<Harness<"a">> {
  harness = await startHarness({
    upstreams: ["a"],
    providers: (urls) => ({
      openai: labProvider(urls.a, { api_key: "sk-openai" }),
      anth: { type: "anthropic", base_url: `${urls.a}/v1`, api_key: "sk-anth" },
      lab: labProvider(urls.a),
    }),
    routing: { retry: FAST_RETRY },
  });
  return harness;
}

const reply = (refusal: { status: number; body: object }): ScriptReply =>
  ({ ...refusal }) as ScriptReply;

async function messages(h: Harness<"a">, model: string): Promise<Response> {
  return h.post(
    "/v1/messages",
    { model, max_tokens: 16, messages: [{ role: "user", content: "hi" }] },
    { "anthropic-version": "2023-06-01" },
  );
}

describe("a permission the key lacks marks that model only", () => {
  it('OpenAI 403 "Project … does not have access to model gpt-restricted": every other model of the provider is still served', async () => {
    const h = await keyedProviders();
    h.up.a.push(reply(providerRefusals.openAiModelAccess("gpt-restricted")));

    const refused = await h.chat("openai/gpt-restricted");
    expect(refused.status).toBe(403);
    expect((await openAiError(refused)).message).toContain("does not have access to model");

    // The same key serves every other model at once.
    h.up.a.push({ text: "gpt-ok answers" });
    const other = await h.chat("openai/gpt-ok");
    expect(other.status).toBe(200);
    expect(h.up.a.requests.map((request) => (request.body as { model: string }).model)).toEqual([
      "gpt-restricted",
      "gpt-ok",
    ]);

    const [mark, ...more] = await listCooldowns(h.store);
    expect(more).toEqual([]);
    expect(mark).toMatchObject({
      route: "openai:config:openai",
      scope: "model",
      model: "gpt-restricted",
      kind: "permission",
      until: START + HOUR,
    });
    // The refused model is not asked again while the mark holds.
    const again = await h.chat("openai/gpt-restricted");
    expect(again.status).toBe(403);
    expect((await openAiError(again)).message).toContain("permission");
    expect(h.up.a.requests).toHaveLength(2);
  });

  it("Anthropic 403 permission_error: the model asked for is skipped, the key's other models are served", async () => {
    const h = await keyedProviders();
    h.up.a.push(reply(providerRefusals.anthropicPermission), { text: "haiku answers" });

    expect((await messages(h, "anth/claude-opus-x")).status).toBe(403);
    expect((await messages(h, "anth/claude-haiku-x")).status).toBe(200);
    expect(await listCooldowns(h.store)).toEqual([
      expect.objectContaining({
        route: "anth:config:anth",
        scope: "model",
        model: "claude-opus-x",
        kind: "permission",
      }),
    ]);
  });

  it("OpenAI 403 unsupported region: the whole route waits (the key is not marked invalid)", async () => {
    const h = await keyedProviders();
    h.up.a.push(reply(providerRefusals.openAiRegion));
    expect((await h.chat("openai/gpt-a")).status).toBe(403);
    expect((await h.chat("openai/gpt-b")).status).toBe(403);
    expect(h.up.a.requests).toHaveLength(1);
    expect(await h.cooldown("openai:config:openai")).toMatchObject({
      scope: "route",
      kind: "permission",
    });
  });
});

describe("a refused key marks the credential, for every model", () => {
  it.each([
    ["OpenAI 401 invalid_api_key", "openai", providerRefusals.openAiInvalidKey],
    ["Anthropic 401 authentication_error", "anth", providerRefusals.anthropicInvalidKey],
    ["Anthropic 401 revoked OAuth token", "anth", providerRefusals.anthropicOAuthRevoked],
  ] as const)("%s", async (_name, provider, refusal) => {
    const h = await keyedProviders();
    h.up.a.push(reply(refusal));
    const ask = (model: string) =>
      provider === "anth" ? messages(h, `anth/${model}`) : h.chat(`openai/${model}`);

    // The gateway's own key was refused: a 403 to the caller, whose gateway key is fine.
    expect((await ask("model-a")).status).toBe(403);
    expect((await ask("model-b")).status).toBe(403);
    expect(h.up.a.requests).toHaveLength(1);
    expect(await h.cooldown(`${provider}:config:${provider}`)).toMatchObject({
      scope: "route",
      kind: "credential",
      until: START + HOUR,
    });
  });
});

describe("a provider without a key has no credential to blame", () => {
  it("one 401 from a keyless local provider marks nothing: the next caller is served", async () => {
    const h = await keyedProviders();
    h.up.a.push(reply(providerRefusals.openAiInvalidKey), { text: "served" });

    const refused = await h.chat("lab/m");
    expect(refused.status).toBe(403);
    expect((await openAiError(refused)).message).toContain("no key configured");
    expect(await h.store.list("cooldown:")).toEqual([]);
    expect(await h.store.list("breaker:")).toEqual([]);

    const next = await h.chat("lab/m");
    expect(next.status).toBe(200);
    expect(h.up.a.requests).toHaveLength(2);
  });
});
