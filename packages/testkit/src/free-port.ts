import { createServer } from "node:net";

/**
 * A loopback port that was free a moment ago: the OS picks it, the probe closes it. Nothing
 * listens on it after, so it also serves as a port that refuses connections.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
