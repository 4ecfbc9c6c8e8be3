import { Agent, request, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";

/** One HTTP answer, and when the server closed the connection it came on. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => unknown;
  /** Resolves when the connection closes (never, while the server keeps it alive). */
  closed: Promise<void>;
}

/**
 * One request over a fresh keep-alive connection, with any `Host` (fetch would not send a
 * foreign one): the server decides whether the connection stays open.
 */
export function send(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? "POST",
        path: options.path,
        headers: options.headers ?? {},
        agent,
      },
      (incoming) => {
        const socket = incoming.socket;
        const closed = new Promise<void>((done) => {
          if (socket.destroyed) done();
          else socket.once("close", () => done());
        });
        let text = "";
        incoming.setEncoding("utf8");
        incoming.on("data", (chunk: string) => (text += chunk));
        incoming.once("end", () => {
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text,
            json: () => JSON.parse(text) as unknown,
            closed: closed.finally(() => agent.destroy()),
          });
        });
      },
    );
    outgoing.once("error", reject);
    outgoing.end(options.body);
  });
}

/**
 * A raw connection that sends `head` and then one more byte every few milliseconds until the
 * server closes the connection; resolves with everything the server sent.
 */
export function trickle(url: string, head: string, byte = " "): Promise<string> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    let received = "";
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (received += chunk));
    socket.once("connect", () => {
      socket.write(head);
      timer = setInterval(() => {
        if (socket.writable) socket.write(byte);
      }, 20);
    });
    socket.once("close", () => {
      clearInterval(timer);
      resolve(received);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      // The server may close while a byte is in flight; what it sent before still counts.
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
  });
}
