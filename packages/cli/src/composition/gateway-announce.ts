import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "@hedge/auth";

/** `$HEDGE_HOME/gateway-serve.json`: where this home's `hedge gateway serve` listens. */
export function announcePath(home: string): string {
  return join(home, "gateway-serve.json");
}

const announceSchema = z.object({ url: z.string(), pid: z.number().int() });

/** A URL this machine can reach a server bound to `host` at (a wildcard bind answers on loopback). */
export function localUrl(host: string, port: number): string {
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * Records where the gateway listens, so the loops daemon can point `--via-gateway` runs at it;
 * returns the cleanup that removes the record if it is still this process's.
 */
export function announceGateway(home: string, url: string): () => void {
  const path = announcePath(home);
  writeFileAtomic(path, `${JSON.stringify({ url, pid: process.pid })}\n`, 0o600);
  return () => {
    if (announcedGateway(home)?.pid === process.pid) rmSync(path, { force: true });
  };
}

/** The announced gateway, if its process is still alive. */
export function announcedGateway(home: string): { url: string; pid: number } | undefined {
  let parsed;
  try {
    parsed = announceSchema.safeParse(JSON.parse(readFileSync(announcePath(home), "utf8")));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  try {
    process.kill(parsed.data.pid, 0);
  } catch {
    return undefined;
  }
  return parsed.data;
}
