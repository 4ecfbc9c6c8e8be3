import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Loop } from "../ledger/types.js";

/** A new webhook secret (shown once at `loop add`) and the hash the ledger keeps. */
export function newWebhookSecret(): { secret: string; sha256: string } {
  const secret = `hwh_${randomBytes(24).toString("base64url")}`;
  return { secret, sha256: sha256(secret) };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface WebhookServer {
  url: string;
  close(): Promise<void>;
}

export interface WebhookDeps {
  port: number;
  findLoop: (name: string) => Promise<Loop | undefined>;
  /** Queues a run; false when the delivery id was seen before. */
  fire: (loopId: string, ref: string | null) => Promise<boolean>;
  nudge: () => void;
}

const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function reply(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(`${JSON.stringify(body)}\n`);
}

/** The presented bearer token matches the loop's stored hash (constant time). */
function authorised(request: IncomingMessage, loop: Loop | undefined): boolean {
  const header = request.headers.authorization ?? "";
  const match = /^Bearer (\S+)$/.exec(header);
  const expected = loop?.trigger?.kind === "webhook" ? loop.trigger.secretSha256 : null;
  // Hash even when there is nothing to compare with: the answer takes the same time.
  const presented = Buffer.from(sha256(match?.[1] ?? ""), "hex");
  const wanted = Buffer.from(expected ?? "0".repeat(64), "hex");
  return timingSafeEqual(presented, wanted) && expected !== null && match !== null;
}

/**
 * `POST /hooks/<loop>` with `Authorization: Bearer <secret>` queues one run of that loop; an
 * `X-Hedge-Delivery` id makes a retried delivery run once. Loopback only. An unknown loop and a
 * wrong secret get the same 401, so the endpoint reveals no loop names.
 */
export async function startWebhookServer(deps: WebhookDeps): Promise<WebhookServer> {
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const match = /^\/hooks\/([^/?#]+)$/.exec(request.url ?? "");
    if (request.method !== "POST" || !match) {
      reply(response, 404, { error: "not found" });
      return;
    }
    const loop = await deps.findLoop(decodeURIComponent(match[1] ?? ""));
    const live = loop && loop.state === "active" ? loop : undefined;
    if (!authorised(request, live) || !live) {
      reply(response, 401, { error: "unauthorized" });
      return;
    }
    const delivery = request.headers["x-hedge-delivery"];
    const ref =
      typeof delivery === "string" && DELIVERY_ID.test(delivery) ? `webhook:${delivery}` : null;
    if (!(await deps.fire(live.id, ref))) {
      reply(response, 409, { error: "delivery already received" });
      return;
    }
    deps.nudge();
    reply(response, 202, { queued: true });
  };
  const server = createServer((request, response) => {
    // The body is not used: read (bounded) and discard it.
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 64 * 1024) request.destroy();
    });
    request.on("end", () => {
      void answer(request, response).catch(() => reply(response, 503, { error: "unavailable" }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
