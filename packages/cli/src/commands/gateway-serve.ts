import { z } from "zod";
import { isIP } from "node:net";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import { gatewayKeys } from "../composition/admin.js";
import { announceGateway, localUrl } from "../composition/gateway-announce.js";
import { gatewayServer } from "../composition/gateway-server.js";
import {
  announceListening,
  isGatewayWorker,
  startWorkers,
  workerCount,
} from "../composition/gateway-workers.js";

export interface ServeOptions {
  host?: string;
  port?: string;
  /** `--workers N` or `auto` (one per core); default `gateway.workers`. */
  workers?: string;
}

/** `hedge gateway serve`: the gateway over HTTP until SIGINT/SIGTERM. */
export async function runGatewayServe(
  globals: GlobalOptions,
  options: ServeOptions,
): Promise<void> {
  const { home, loaded } = commandContext(globals);
  // A server parses the same schemas for every request: zod's compiled fast path pays off.
  z.config({ jitless: false });
  const { config } = loaded;
  const host = options.host ?? config.gateway.host;
  const port = options.port === undefined ? config.gateway.port : parsePort(options.port);
  const keys = gatewayKeys(home);
  const loopback = isLoopback(host);
  const unprotected = (): HedgeError =>
    new HedgeError("gateway_unprotected", `refusing to listen on ${host} without a gateway key`, {
      hint: "create one first: hedge gateway key create --name NAME (or bind 127.0.0.1)",
    });
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const access = (): string =>
    keys.count() > 0 ? `${keys.count()} gateway key(s)` : "no key needed on loopback";
  const workers = workerCount(
    options.workers === undefined ? config.gateway.workers : parseWorkers(options.workers),
    config.store,
  );
  const worker = isGatewayWorker();
  if (workers > 1 && !worker) {
    if (!loopback && keys.count() === 0) throw unprotected();
    // The primary: forks the workers, which run this same command and serve the port.
    const started = await startWorkers(workers, log);
    process.stdout.write(`hedge gateway listening on http://${shownHost}:${started.port}\n`);
    process.stderr.write(
      `  providers: ${started.providers.join(", ") || "none configured"}; ${access()}; ${workers} workers\n`,
    );
    announceDashboard(shownHost, started.port);
    const unannounce = announceGateway(home, localUrl(host, started.port));
    await new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    });
    unannounce();
    await started.stop();
    return;
  }
  const { server, providers, close } = await gatewayServer(config, home, {
    keys,
    requireKey: !loopback,
    log,
    worker,
  });
  // Counted once the fleet's shared keys (a Redis store) are loaded too.
  if (!loopback && keys.count() === 0) {
    await close();
    throw unprotected();
  }
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
  if (worker) announceListening(boundPort, providers);
  else {
    process.stdout.write(`hedge gateway listening on http://${shownHost}:${boundPort}\n`);
    process.stderr.write(
      `  providers: ${providers.join(", ") || "none configured"}; ${access()}\n`,
    );
    announceDashboard(shownHost, boundPort);
  }
  // The primary announces for its workers; a lone server for itself.
  const unannounce = worker ? () => undefined : announceGateway(home, localUrl(host, boundPort));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  unannounce();
  await close();
  // A worker's channel to the primary would keep it alive.
  if (worker) process.disconnect?.();
}

/** Every worker serves `/dashboard` (each with its own hub, reading the shared Store). */
function announceDashboard(shownHost: string, port: number): void {
  process.stderr.write(
    `  dashboard: http://${shownHost}:${port}/dashboard (a key for it: hedge dashboard --new-key)\n`,
  );
}

function parseWorkers(text: string): number | "auto" {
  if (text === "auto") return "auto";
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > 256) {
    throw new UsageError(`--workers expects 1-256 or "auto", got "${text}"`);
  }
  return count;
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
