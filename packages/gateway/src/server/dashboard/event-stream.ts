import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { DashboardBatch, DashboardSnapshot } from "./dashboard-types.js";
import type { DashboardHub } from "./hub.js";

/** Messages kept for a page that reconnects with `Last-Event-ID`. */
const RING_SIZE = 2000;
/** A page whose socket holds more than this unsent is dropped: it reconnects and catches up. */
const MAX_BUFFERED = 1 << 20;
const PING_MS = 15_000;

/** One open page, and whether the key it connected with still opens the dashboard. */
interface OpenPage {
  res: ServerResponse;
  allowed: () => boolean;
}

/**
 * The dashboard's event stream (`text/event-stream`) over one hub: each batch is serialized
 * once, numbered, kept in a ring for reconnects, and written to every open page.
 */
export class DashboardStream {
  private readonly ring: { id: number; text: string }[] = [];
  private lastId = 0;
  /**
   * Ids are `EPOCH.N`: a page that reconnects to another server (a restart, another worker or
   * replica) presents an id of another sequence and gets a snapshot, never another's deltas.
   */
  private readonly epoch = randomBytes(4).toString("hex");
  private readonly pages = new Map<ServerResponse, OpenPage>();
  private unsubscribe: (() => void) | undefined;
  private ping: NodeJS.Timeout | undefined;

  constructor(
    private readonly hub: DashboardHub,
    private readonly pingMs = PING_MS,
  ) {}

  /**
   * Streams to `res` until it closes: the messages after `lastEventId` when the ring still
   * holds them, else a snapshot (`prepare` adapts it to the caller, e.g. whether it may reset).
   * At each ping `allowed` is asked again: a revoked key's page is cut off.
   */
  async open(
    res: ServerResponse,
    lastEventId: string | undefined,
    prepare: (snapshot: DashboardSnapshot) => DashboardSnapshot,
    allowed: () => boolean,
  ): Promise<void> {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
      "x-content-type-options": "nosniff",
    });
    res.write("retry: 3000\n\n");
    const [epoch, sequence] = (lastEventId ?? "").split(".");
    const after = epoch === this.epoch ? Number(sequence) : NaN;
    const oldest = this.ring[0]?.id ?? this.lastId + 1;
    if (Number.isInteger(after) && after >= oldest - 1 && after <= this.lastId) {
      for (const message of this.ring) if (message.id > after) res.write(message.text);
    } else {
      const snapshot = prepare(await this.hub.snapshot());
      res.write(frame(this.id(this.lastId), "snapshot", JSON.stringify(snapshot)));
    }
    if (res.destroyed) return;
    this.pages.set(res, { res, allowed });
    res.on("close", () => this.leave(res));
    this.unsubscribe ??= this.hub.subscribe((batch) => this.broadcast(batch));
    this.ping ??= setInterval(() => {
      for (const page of this.pages.values()) {
        if (page.allowed()) page.res.write(": ping\n\n");
        else page.res.end();
      }
    }, this.pingMs).unref();
  }

  /** Pages open now. */
  get size(): number {
    return this.pages.size;
  }

  close(): void {
    for (const page of this.pages.keys()) page.end();
    this.pages.clear();
    this.stop();
  }

  private broadcast(batch: DashboardBatch): void {
    this.lastId += 1;
    const text = frame(this.id(this.lastId), "batch", JSON.stringify(batch));
    this.ring.push({ id: this.lastId, text });
    if (this.ring.length > RING_SIZE) this.ring.shift();
    for (const page of this.pages.keys()) {
      if (page.writableLength > MAX_BUFFERED) page.destroy();
      else page.write(text);
    }
  }

  private id(sequence: number): string {
    return `${this.epoch}.${sequence}`;
  }

  private leave(res: ServerResponse): void {
    this.pages.delete(res);
    if (this.pages.size === 0) this.stop();
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.ping) clearInterval(this.ping);
    this.ping = undefined;
  }
}

/** One SSE message. JSON has no raw newlines, so `data:` is one line. */
function frame(id: string, event: string, data: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}
