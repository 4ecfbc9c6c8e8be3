import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  loadScriptFile,
  makeTempDir,
  makeTempHome,
  parseScript,
  ScriptValidationError,
  startScriptedUpstream,
  type ScriptedUpstream,
} from "../src/index.js";
import { anthropicClient, openAiClient } from "./clients.js";

const fixture = join(import.meta.dirname, "../fixtures/example-script.json");

describe("script validation", () => {
  it("names the path of a wrong type", () => {
    expect(() =>
      parseScript({ replies: [{ text: "ok" }, { toolCalls: [{ name: 3, arguments: {} }] }] }),
    ).toThrow(/replies\[1\]\.toolCalls\[0\]\.name: expected a string, got number/);
  });

  it("reports a misspelt field instead of ignoring it", () => {
    expect(() => parseScript({ replies: [{ txt: "typo" }] })).toThrow(ScriptValidationError);
    expect(() => parseScript({ replies: [{ txt: "typo" }] })).toThrow(
      /replies\[0\]\.txt: unknown field/,
    );
  });

  it("rejects an unknown stop reason and a missing reply list", () => {
    expect(() => parseScript({ replies: [{ stopReason: "done" }] })).toThrow(/stopReason/);
    expect(() => parseScript({})).toThrow(/script\.replies: required/);
  });

  it("prefers a misspelt field to the required field it hides, and checks numbers", () => {
    expect(() => parseScript({ replies: [{ toolCalls: [{ nme: "f", arguments: {} }] }] })).toThrow(
      /replies\[0\]\.toolCalls\[0\]\.nme: unknown field/,
    );
    expect(() => parseScript({ replies: [{ status: 42 }] })).toThrow(
      /replies\[0\]\.status: expected at least 100, got 42/,
    );
    expect(() => parseScript({ replies: [{ latencyMs: 1.5 }] })).toThrow(
      /replies\[0\]\.latencyMs: expected an integer, got 1\.5/,
    );
    expect(() => parseScript({ replies: [{ toolCalls: [{ name: "f", arguments: 3 }] }] })).toThrow(
      /toolCalls\[0\]\.arguments: expected a string or an object, got number/,
    );
  });

  it("loads the example fixture", async () => {
    const script = await loadScriptFile(fixture);
    expect(script.replies.length).toBeGreaterThan(0);
  });

  it("explains a file that is not JSON", async () => {
    const dir = await makeTempDir();
    try {
      const file = join(dir.path, "bad.json");
      await writeFile(file, "{ not json");
      await expect(loadScriptFile(file)).rejects.toThrow(/bad\.json is not valid JSON/);
      await expect(loadScriptFile(join(dir.path, "missing.json"))).rejects.toThrow(
        /cannot read script/,
      );
    } finally {
      await dir.cleanup();
    }
  });
});

describe("matching, repeat and recording", () => {
  let upstream: ScriptedUpstream;
  beforeAll(async () => {
    upstream = await startScriptedUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.reset());

  it("serves the example fixture by model, endpoint and user text", async () => {
    upstream.reset(await loadScriptFile(fixture));
    const openai = openAiClient(upstream);
    const anthropic = anthropicClient(upstream);

    const codex = await openai.responses
      .create({ model: "gpt-5-codex", input: "run the tests" })
      .withResponse();
    expect(codex.data.output.find((item) => item.type === "function_call")).toMatchObject({
      name: "shell",
    });
    expect(codex.response.headers.get("x-codex-primary-used-percent")).toBe("12.5");

    const limited = await anthropic.messages
      .create({
        model: "claude-haiku-4-5",
        max_tokens: 8,
        messages: [{ role: "user", content: "please verify" }],
      })
      .catch((caught: unknown) => caught);
    expect(limited).toMatchObject({ status: 429 });

    for (let round = 0; round < 3; round += 1) {
      const message = await anthropic.messages.create({
        model: "claude-haiku-4-5",
        max_tokens: 8,
        messages: [{ role: "user", content: "please verify" }],
      });
      expect(message.content).toEqual([{ type: "text", text: "pass" }]);
    }
    expect(upstream.remaining).toBe(2);
  });

  it("takes the first reply that matches, leaving the others in order", async () => {
    upstream.push(
      { match: { endpoint: "messages" }, text: "for messages" },
      { match: { lastUserMessageIncludes: "second" }, text: "second" },
      { text: "first" },
    );
    const openai = openAiClient(upstream);
    const ask = async (content: string): Promise<string | null | undefined> =>
      (await openai.chat.completions.create({ model: "m", messages: [{ role: "user", content }] }))
        .choices[0]?.message.content;
    expect(await ask("the second one")).toBe("second");
    expect(await ask("anything")).toBe("first");
    expect(upstream.remaining).toBe(1);
  });

  it("records method, path, query, headers and parsed body of every request", async () => {
    upstream.push({ text: "one" }, { text: "two" });
    const openai = openAiClient(upstream);
    await openai.chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "first" }],
    });
    await openai.responses.create({ model: "gpt-5", input: "second" });
    await openai.models.list();

    expect(upstream.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /v1/chat/completions",
      "POST /v1/responses",
      "GET /v1/models",
    ]);
    const [chat] = upstream.requestsTo("/v1/chat/completions");
    expect(chat?.headers["authorization"]).toBe("Bearer sk-test");
    expect(chat?.body).toEqual({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "first" }],
    });
    expect(chat?.endpoint).toBe("chat");
    expect(chat?.receivedAt).toBeInstanceOf(Date);

    upstream.reset();
    expect(upstream.requests).toHaveLength(0);
  });

  it("lists the models the script names in OpenAI's shape", async () => {
    upstream.push(
      { match: { model: "gpt-5-codex" }, text: "x" },
      { model: "gpt-4.1-mini", text: "y" },
    );
    const page = await openAiClient(upstream).models.list();
    expect(page.data.map((model) => model.id).sort()).toEqual(["gpt-4.1-mini", "gpt-5-codex"]);
  });

  it("rejects an invalid pushed reply at the call site", () => {
    expect(() => upstream.push({ status: 99 })).toThrow(/replies\[0\]\.status/);
  });
});

describe("temp dirs", () => {
  it("creates a HEDGE_HOME and removes it on cleanup", async () => {
    const home = await makeTempHome();
    await writeFile(join(home.path, "config.toml"), "");
    expect(home.env.HEDGE_HOME).toBe(home.path);
    await home.cleanup();
    await expect(writeFile(join(home.path, "again"), "")).rejects.toThrow();
    await home.cleanup();
  });
});
