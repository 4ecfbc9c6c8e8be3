import type { ScriptReply } from "@hedge/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventually, labProvider, startHarness, type Harness } from "./routing-harness.js";

type Wire = "chat" | "responses" | "messages";
const WIRES: readonly Wire[] = ["chat", "responses", "messages"];

/** One provider per upstream wire, all on one scripted upstream. */
const PROVIDER: Record<Wire, string> = {
  chat: "up-chat",
  responses: "up-resp",
  messages: "up-msg",
};
const TERMINAL: Record<Wire, string> = {
  chat: "[DONE]",
  responses: "response.completed",
  messages: "message_stop",
};

let harness: Harness<"u">;
beforeAll(async () => {
  harness = await startHarness({
    upstreams: ["u"],
    providers: (urls) => ({
      "up-chat": labProvider(urls.u),
      "up-resp": labProvider(urls.u, { wire: "responses" }),
      "up-msg": labProvider(urls.u, { wire: "messages" }),
    }),
  });
});
afterAll(() => harness.close());
beforeEach(() => harness.up.u.reset());

/** A streaming request in the client's wire format. */
function send(inbound: Wire, model: string): Promise<Response> {
  switch (inbound) {
    case "chat":
      return harness.post("/v1/chat/completions", {
        model,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      });
    case "responses":
      return harness.post("/v1/responses", { model, stream: true, input: "hi" });
    case "messages":
      return harness.post(
        "/v1/messages",
        { model, max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] },
        { "anthropic-version": "2023-06-01" },
      );
  }
}

/** The SSE events of a body: their `event:` name (if any) and parsed `data`. */
function events(body: string): { event?: string; data: unknown }[] {
  return body
    .split(/\n\n+/)
    .filter((frame) => frame.includes("data: "))
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "";
      const parsed: unknown = data === "[DONE]" ? data : JSON.parse(data);
      return { ...(event ? { event } : {}), data: parsed };
    });
}

/** The error message the client got, in its own wire's shape; fails when there is none. */
function clientError(inbound: Wire, body: string): string {
  const all = events(body);
  switch (inbound) {
    case "chat": {
      const last = all.at(-1)?.data as { error?: { message: string } };
      expect(last.error).toBeDefined();
      return last.error?.message ?? "";
    }
    case "responses": {
      const error = all.find((event) => event.event === "error")?.data as {
        type: string;
        message: string;
      };
      expect(error.type).toBe("error");
      return error.message;
    }
    case "messages": {
      const last = all.at(-1);
      expect(last?.event).toBe("error");
      const data = last?.data as { type: string; error: { message: string } };
      expect(data.type).toBe("error");
      return data.error.message;
    }
  }
}

function isTerminal(wire: Wire, event: { event?: string; data: unknown }): boolean {
  if (wire === "chat") return event.data === "[DONE]";
  return (
    event.event === TERMINAL[wire] || (event.data as { type?: string }).type === TERMINAL[wire]
  );
}

const FAULTS: [string, ScriptReply, (upstream: Wire) => string][] = [
  [
    "a malformed event",
    { text: "one two three four five", malformedChunkAt: 2 },
    () => "broke the wire format: an event's data is not a JSON object",
  ],
  [
    "no terminal event",
    { text: "one two three four five", omitTerminalEvent: true },
    (upstream) => `ended without ${TERMINAL[upstream]}`,
  ],
];

describe.each(WIRES)("an upstream %s stream that breaks, through the HTTP gateway", (upstream) => {
  describe.each(FAULTS)("%s", (_fault, reply, detail) => {
    it.each(WIRES)(
      "reaches a %s client as an error event in its own format, and the record says failed",
      async (inbound) => {
        await harness.engine.flush();
        const before = (await harness.store.listAudit({ limit: 1000 })).length;
        harness.up.u.push(reply);
        const provider = PROVIDER[upstream];
        const response = await send(inbound, `${provider}/m`);
        expect(response.status).toBe(200);
        const body = await response.text();
        expect(clientError(inbound, body)).toBe(`the stream from ${provider} ${detail(upstream)}`);
        // No success terminal in the client's format: it cannot mistake this for a whole answer.
        expect(events(body).filter((event) => isTerminal(inbound, event))).toEqual([]);
        expect(body).not.toContain('"malformed"');
        await eventually(async () => {
          await harness.engine.flush();
          const entries = await harness.store.listAudit({ limit: 1000 });
          expect(entries).toHaveLength(before + 1);
          expect(entries[0]?.model).toBe(`${provider}/m`);
          expect(entries[0]?.outcome).toMatch(/^stream_error \(/);
        });
      },
    );
  });
});
