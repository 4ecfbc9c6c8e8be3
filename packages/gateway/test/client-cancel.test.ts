import { createServer, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, labProvider, startHarness, type Harness } from "./routing-harness.js";

// A client that hangs up must not leave the provider working (and billing) for nobody.
describe("a client that hangs up", () => {
  let harness: Harness<never> | undefined;
  let upstream: Server | undefined;
  afterEach(async () => {
    await harness?.close();
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  async function start(
    respond: (res: ServerResponse) => void,
  ): Promise<{ received: () => number; closedEarly: () => number }> {
    let received = 0;
    let closedEarly = 0;
    upstream = createServer((req, res) => {
      received += 1;
      res.on("close", () => {
        if (!res.writableFinished) closedEarly += 1;
      });
      req.resume();
      respond(res);
    });
    await new Promise<void>((resolve) => upstream?.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    harness = await startHarness({ upstreams: [], providers: () => ({ lab: labProvider(url) }) });
    return { received: () => received, closedEarly: () => closedEarly };
  }

  it("while the provider is still thinking cancels the provider call", async () => {
    const seen = await start(() => {
      // Never answers.
    });
    const client = new AbortController();
    const pending = fetch(`${harness?.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await eventually(() => expect(seen.received()).toBe(1));
    client.abort();
    await pending;
    await eventually(() => expect(seen.closedEarly()).toBe(1));
  });

  it("before the end of its body is let go: the request is recorded, nothing is left waiting", async () => {
    const seen = await start(() => {
      // Never reached.
    });
    const url = new URL(harness?.url ?? "");
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      "POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n" +
        'x-request-id: half-body\r\ncontent-length: 1000\r\n\r\n{"model":"lab/m"',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await eventually(async () => {
      await harness?.engine.flush();
      const audit = (await harness?.store.listAudit()) ?? [];
      expect(audit.map((entry) => entry.requestId)).toContain("half-body");
    });
    expect(seen.received()).toBe(0);
  });

  it("mid-stream stops the provider's stream", async () => {
    const seen = await start((res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = { choices: [{ index: 0, delta: { content: "x" }, finish_reason: null }] };
      const timer = setInterval(() => res.write(`data: ${JSON.stringify(chunk)}\n\n`), 5);
      res.on("close", () => clearInterval(timer));
    });
    const client = new AbortController();
    const response = await fetch(`${harness?.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "lab/m",
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
      signal: client.signal,
    });
    // Read up to the first chunk, then hang up.
    const reader = response.body?.getReader();
    const first = (await reader?.read())?.value as Uint8Array | undefined;
    expect(new TextDecoder().decode(first)).toContain('"content":"x"');
    client.abort();
    await eventually(() => expect(seen.closedEarly()).toBe(1));
  });
});
