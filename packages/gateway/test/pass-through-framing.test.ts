import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, labProvider, startHarness, type Harness } from "./routing-harness.js";

// A stream passed through untouched is cut into whole events only: an event goes out once the
// tap has read it. SSE allows CR line ends, and a CR that ends a chunk may be half of a CRLF the
// next chunk completes: the event it ends is whole, read and checked at once.

let upstream: Server | undefined;
let harness: Harness<never> | undefined;
afterEach(async () => {
  await harness?.close();
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  harness = undefined;
  upstream = undefined;
});

const chunk = (content: string): string =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\r\r`;

/** A Chat Completions upstream that writes `pieces` as separate chunks, a little apart. */
async function rawUpstream(pieces: readonly string[]): Promise<string> {
  upstream = createServer((req, res) => {
    req.resume();
    req.once("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      let index = 0;
      const next = (): void => {
        if (index === pieces.length) return void res.end();
        res.write(pieces[index]);
        index += 1;
        setTimeout(next, 20);
      };
      next();
    });
  });
  await new Promise<void>((resolve) => upstream?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
}

async function gateway(url: string): Promise<Harness<never>> {
  harness = await startHarness({ upstreams: [], providers: () => ({ raw: labProvider(url) }) });
  return harness;
}

function ask(h: Harness<never>): Promise<Response> {
  return h.post("/v1/chat/completions", {
    model: "raw/m",
    stream: true,
    messages: [{ role: "user", content: "hi" }],
  });
}

async function lastOutcome(h: Harness<never>): Promise<string> {
  return eventually(async () => {
    await h.engine.flush();
    const [entry] = await h.store.listAudit({ limit: 1 });
    if (!entry) throw new Error("no audit entry yet");
    return entry.outcome;
  });
}

describe("pass-through of a stream with CR line ends", () => {
  it("reaches the client byte for byte, its last event ended by the stream's last CR", async () => {
    const pieces = [chunk("Hello"), "\r", chunk(" world").slice(0, -1), "\r", "data: [DONE]\r\r"];
    const h = await gateway(await rawUpstream(pieces));
    const response = await ask(h);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(pieces.join(""));
    expect(await lastOutcome(h)).toBe("ok");
  });

  it("holds back a malformed event whose blank line ends a chunk, and fails the stream there", async () => {
    const malformed = 'data: {"id": "c1", "choices": [\r\r';
    const h = await gateway(await rawUpstream([chunk("Hello"), malformed, "data: [DONE]\r\r"]));
    const response = await ask(h);
    const body = await response.text();
    expect(body.startsWith(chunk("Hello"))).toBe(true);
    expect(body).not.toContain('"choices": [');
    expect(body).toContain("broke the wire format");
    expect(body).not.toContain("[DONE]");
    expect(await lastOutcome(h)).toMatch(/^stream_error/);
  });
});
