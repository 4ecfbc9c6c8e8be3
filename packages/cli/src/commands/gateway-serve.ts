import { isIP } from "node:net";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { gatewayKeys } from "../composition/admin.js";
import { gatewayServer } from "../composition/gateway-server.js";

export interface ServeOptions {
  host?: string;
  port?: string;
}

/** `hedge gateway serve`: the gateway over HTTP until SIGINT/SIGTERM. */
export async function runGatewayServe(
  globals: GlobalOptions,
  options: ServeOptions,
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  const { config } = loaded;
  const host = options.host ?? config.gateway.host;
  const port = options.port === undefined ? config.gateway.port : parsePort(options.port);
  const keys = gatewayKeys(home);
  const loopback = isLoopback(host);
  if (!loopback && keys.count() === 0) {
    throw new HedgeError(
      "gateway_unprotected",
      `refusing to listen on ${host} without a gateway key`,
      {
        hint: "create one first: hedge gateway key create --name NAME (or bind 127.0.0.1)",
      },
    );
  }
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const { server, providers, close } = await gatewayServer(config, home, {
    keys,
    requireKey: !loopback,
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new HedgeError("port_in_use", `${host}:${port} is already in use`, {
              hint: "pick another with --port",
            })
          : error,
      ),
    );
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const access = keys.count() > 0 ? `${keys.count()} gateway key(s)` : "no key needed on loopback";
  process.stdout.write(`hedge gateway listening on http://${shownHost}:${boundPort}\n`);
  process.stderr.write(`  providers: ${providers.join(", ") || "none configured"}; ${access}\n`);
  process.stderr.write(
    `  dashboard: http://${shownHost}:${boundPort}/dashboard (a key for it: hedge dashboard --new-key)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await close();
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port expects 0-65535, got "${text}"`);
  }
  return port;
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}
