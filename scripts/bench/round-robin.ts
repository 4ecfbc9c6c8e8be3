// A loopback TCP round-robin for the replica bench: each new connection goes to the next
// backend port in turn (connection-level, like a layer-4 balancer), bytes piped both ways.
// BACKENDS="port,port,..."; prints "listening PORT".
import { createConnection, createServer } from "node:net";

const backends = (process.env["BACKENDS"] ?? "").split(",").map(Number).filter(Boolean);
let next = 0;
const server = createServer((client) => {
  const port = backends[next % backends.length] as number;
  next += 1;
  const upstream = createConnection({ port, host: "127.0.0.1" });
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream).pipe(client);
  const close = (): void => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
  client.on("close", close);
  upstream.on("close", close);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === "object" && address ? address.port : 0}\n`);
});
