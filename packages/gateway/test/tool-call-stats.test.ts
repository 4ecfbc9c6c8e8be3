import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./routing-harness.js";

let h: Harness<"up">;
beforeAll(async () => {
  h = await startHarness({
    upstreams: ["up"],
    providers: (urls) => ({
      "up-chat": { base_url: `${urls.up}/v1`, wire: "chat" },
      "up-responses": { base_url: `${urls.up}/v1`, wire: "responses" },
      "up-messages": { type: "anthropic", base_url: `${urls.up}/v1`, class: "local" },
    }),
    aliases: { chat: "up-chat/m", responses: "up-responses/m", messages: "up-messages/m" },
  });
});
afterAll(async () => {
  await h.close();
});

type Wire = "chat" | "responses" | "messages";
const wires: Wire[] = ["chat", "responses", "messages"];

function request(inbound: Wire, model: string, stream: boolean): [string, unknown] {
  const messages = [{ role: "user", content: "read both files" }];
  if (inbound === "chat") return ["/v1/chat/completions", { model, stream, messages }];
  if (inbound === "responses")
    return ["/v1/responses", { model, stream, input: "read both files" }];
  return ["/v1/messages", { model, stream, max_tokens: 256, messages }];
}

const cases = wires.flatMap((inbound) =>
  wires.flatMap((upstream) => [false, true].map((stream) => [inbound, upstream, stream] as const)),
);

describe("hedge stats counts the tool calls of requests served over HTTP", () => {
  it.each(cases)("%s in, %s upstream, stream %s", async (inbound, upstream, stream) => {
    h.up.up.push({
      text: "Reading them.",
      toolCalls: [
        { name: "read_file", arguments: { path: "a.ts" } },
        { name: "read_file", arguments: { path: "b.ts" } },
      ],
    });
    const [path, body] = request(inbound, upstream, stream);
    const response = await h.post(path, body);
    expect(response.status).toBe(200);
    // The client gets both calls (their names; streamed arguments arrive in pieces).
    expect((await response.text()).match(/read_file/g)?.length).toBeGreaterThanOrEqual(2);

    await h.engine.flush();
    const [entry] = await h.store.listAudit({ limit: 1 });
    expect(entry?.call).toMatchObject({ provider: `up-${upstream}`, tool_calls: 2 });
  });

  it("counts none in an answer without tool calls", async () => {
    h.up.up.push({ text: "Nothing to call." });
    const [path, body] = request("chat", "chat", true);
    expect((await h.post(path, body)).status).toBe(200);
    await h.engine.flush();
    const [entry] = await h.store.listAudit({ limit: 1 });
    expect(entry?.call).toMatchObject({ tool_calls: 0 });
  });
});
