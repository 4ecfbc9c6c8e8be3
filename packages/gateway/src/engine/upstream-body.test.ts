import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { Cancellation } from "./cancellation.js";
import { dispatchUpstream } from "./upstream-body.js";

/** A real HTTP server on loopback whose handler the test writes; it tracks closed requests. */
async function upstream(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; server: Server; closedEarly: () => number }> {
  let closedEarly = 0;
  const server = createServer((req, res) => {
    res.on("close", () => {
      if (!res.writableFinished) closedEarly += 1;
    });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    closedEarly: () => closedEarly,
  };
}

async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const servers: Server[] = [];
const agents: Agent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function setup(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const up = await upstream(handler);
  servers.push(up.server);
  const agent = new Agent();
  agents.push(agent);
  const send = (signal?: Cancellation) =>
    dispatchUpstream(agent, { origin: up.origin, path: "/", method: "POST", body: "{}" }, signal);
  return { ...up, send };
}

describe("dispatchUpstream", () => {
  it("reads a response whole or chunk by chunk", async () => {
    const { send } = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain", "x-ratelimit-remaining-requests": "9" });
      res.write("one ");
      setTimeout(() => res.end("two"), 5);
    });
    const whole = await send();
    expect(whole.statusCode).toBe(200);
    expect(whole.headers["x-ratelimit-remaining-requests"]).toBe("9");
    expect(await whole.body.text()).toBe("one two");
    const chunks: string[] = [];
    for await (const chunk of (await send()).body) chunks.push(chunk.toString());
    expect(chunks.join("")).toBe("one two");
  });

  it("cancelling before the headers aborts the provider call", async () => {
    const { send, closedEarly } = await setup(() => {
      // Never answers: a provider still thinking.
    });
    const cancellation = new Cancellation();
    const pending = send(cancellation);
    setTimeout(() => cancellation.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: "UND_ERR_ABORTED" });
    await eventually(() => expect(closedEarly()).toBe(1));
  });

  it("a reader that stops early aborts the rest of the stream", async () => {
    const { send, closedEarly } = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => res.write("data: {}\n\n"), 5);
      res.on("close", () => clearInterval(timer));
    });
    const response = await send();
    for await (const chunk of response.body) {
      expect(chunk.toString()).toContain("data:");
      break;
    }
    await eventually(() => expect(closedEarly()).toBe(1));
  });

  it("an upstream that drops the connection mid-body fails the reader", async () => {
    const { send } = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: first\n\n");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await send();
    await expect(response.body.text()).rejects.toThrow();
  });

  it("a reader that falls behind pauses the provider instead of buffering its whole answer", async () => {
    const total = 32 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, "x");
    let sent = 0;
    let finished = false;
    let blocked = 0;
    const { send } = await setup((_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const pump = (): void => {
        while (sent < total) {
          sent += piece.length;
          if (!res.write(piece)) {
            blocked += 1;
            res.once("drain", pump);
            return;
          }
        }
        res.end(() => (finished = true));
      };
      pump();
    });
    const response = await send();
    // Nobody reads for a while: the provider must be held back (socket paused), not drained
    // into the gateway's memory.
    await eventually(() => expect(blocked).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finished).toBe(false);
    expect(sent).toBeLessThan(total);
    const body = await response.body.bytes();
    expect(body.length).toBe(total);
    await eventually(() => expect(finished).toBe(true));
  });
});
