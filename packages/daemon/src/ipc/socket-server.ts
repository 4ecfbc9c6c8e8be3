import { chmodSync, rmSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { HedgeError } from "@hedge/model-spec";
import { withFileLock } from "@hedge/auth";
import { readLines } from "./line-reader.js";
import { HELLO, requestSchema, type DaemonRequest } from "./protocol.js";

/** Answers one request; a thrown HedgeError becomes an error reply. */
export type RequestHandler = (request: DaemonRequest) => Promise<unknown>;

function connects(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Listens on the daemon socket, one daemon per home: inside the home's lock, a socket that
 * answers means another daemon runs (error); one that refuses is stale and replaced. The lock
 * covers only check, unlink and listen; afterwards the bound socket is the proof of life.
 * The socket is 0600 (created under a 0177 umask, so never readable by others even briefly).
 */
export async function listenSocket(
  path: string,
  lock: string,
  handle: RequestHandler,
  describeRunning: () => string,
): Promise<Server> {
  return withFileLock(lock, async () => {
    if (await connects(path)) {
      throw new HedgeError(
        "daemon_running",
        `hedge daemon is already running (${describeRunning()})`,
        {
          hint: "hedge daemon status shows it; hedge daemon stop stops it",
        },
      );
    }
    rmSync(path, { force: true });
    const server = createServer((socket) => serve(socket, handle));
    const umask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(path, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } finally {
      process.umask(umask);
    }
    chmodSync(path, 0o600);
    return server;
  });
}

function send(socket: Socket, value: unknown): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(value)}\n`);
}

function serve(socket: Socket, handle: RequestHandler): void {
  socket.on("error", () => undefined);
  send(socket, HELLO);
  let greeted = false;
  readLines(
    socket,
    (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        send(socket, { id: null, error: { code: "bad_request", message: "not a JSON line" } });
        return;
      }
      if (!greeted) {
        greeted = true;
        if ((parsed as { hello?: unknown }).hello === HELLO.hello) return;
      }
      const request = requestSchema.safeParse(parsed);
      if (!request.success) {
        const id = (parsed as { id?: unknown }).id;
        send(socket, {
          id: typeof id === "number" ? id : null,
          error: {
            code: "bad_request",
            message: request.error.issues[0]?.message ?? "invalid request",
          },
        });
        return;
      }
      handle(request.data).then(
        (result) => send(socket, { id: request.data.id, result: result ?? null }),
        (error: unknown) => {
          const known = error instanceof HedgeError;
          send(socket, {
            id: request.data.id,
            error: {
              code: known ? error.code : "internal",
              message: known ? error.message : "the daemon failed to answer",
              ...(known && error.hint ? { hint: error.hint } : {}),
            },
          });
        },
      );
    },
    () => {
      send(socket, {
        id: null,
        error: { code: "line_too_long", message: "a line exceeded 1 MiB" },
      });
      socket.end();
    },
  );
}
