import { createConnection, type Socket } from "node:net";
import { HedgeError } from "@hedge/model-spec";
import { readLines } from "./line-reader.js";
import { HELLO, helloSchema, responseSchema, type DaemonRequest } from "./protocol.js";

/** The daemon is not running (no socket, or nobody answers on it). */
export class DaemonDownError extends HedgeError {
  constructor(socketPath: string) {
    super("daemon_down", `no hedge daemon answers on ${socketPath}`, {
      hint: "start it: hedge daemon start (or hedge daemon run in the foreground)",
    });
  }
}

/**
 * A connection to the daemon: one request at a time, answers matched by id, everything parsed
 * with the protocol's zod schemas.
 */
export class DaemonClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  private constructor(private readonly socket: Socket) {}

  static connect(path: string, timeoutMs = 3000): Promise<DaemonClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DaemonDownError(path));
      }, timeoutMs);
      let client: DaemonClient | undefined;
      socket.once("error", () => {
        clearTimeout(timer);
        reject(new DaemonDownError(path));
      });
      readLines(
        socket,
        (line) => {
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch {
            return;
          }
          if (!client) {
            clearTimeout(timer);
            if (!helloSchema.safeParse(value).success) {
              socket.destroy();
              reject(new DaemonDownError(path));
              return;
            }
            client = new DaemonClient(socket);
            socket.on("error", () => client?.failAll(new DaemonDownError(path)));
            socket.on("close", () => client?.failAll(new DaemonDownError(path)));
            socket.write(`${JSON.stringify(HELLO)}\n`);
            resolve(client);
            return;
          }
          client.answer(value);
        },
        () => socket.destroy(),
      );
    });
  }

  /** Sends one request; resolves with its result or rejects with the daemon's error. */
  request(method: DaemonRequest["method"], params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private answer(value: unknown): void {
    const response = responseSchema.safeParse(value);
    if (!response.success || response.data.id === null) return;
    const waiter = this.pending.get(response.data.id);
    if (!waiter) return;
    this.pending.delete(response.data.id);
    if ("error" in response.data) {
      const { code, message, hint } = response.data.error;
      waiter.reject(new HedgeError(code, message, hint === undefined ? {} : { hint }));
    } else {
      waiter.resolve(response.data.result);
    }
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** One request on a fresh connection. */
export async function callDaemon(
  path: string,
  method: DaemonRequest["method"],
  params: Record<string, unknown> = {},
): Promise<unknown> {
  const client = await DaemonClient.connect(path);
  try {
    return await client.request(method, params);
  } finally {
    client.close();
  }
}
