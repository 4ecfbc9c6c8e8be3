import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * CORS for the browser origins in `gateway.allowed_origins` (no other origin gets any CORS
 * header, so a browser never lets another page read an answer). Requests without credentials
 * mode: a Bearer key or `x-api-key` is an ordinary header here, not a cookie.
 */

/** Lets the allowed `origin` read this response, and the headers clients look at. */
export function allowOrigin(res: ServerResponse, origin: string): void {
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-expose-headers", "*");
  res.setHeader("vary", "Origin");
}

/**
 * Answers a preflight from an allowed origin: the methods the gateway serves and the headers the
 * page asked for (the official SDKs send their own `x-stainless-*`, `anthropic-*` headers, and a
 * wildcard would not cover `authorization`). Chrome's Private Network Access asks before a
 * public page may call loopback; an allowed origin is told yes.
 */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, origin: string): void {
  allowOrigin(res, origin);
  res.setHeader("access-control-allow-methods", "GET, POST, HEAD, OPTIONS");
  const requested = req.headers["access-control-request-headers"];
  if (requested) res.setHeader("access-control-allow-headers", requested);
  if (req.headers["access-control-request-private-network"] === "true")
    res.setHeader("access-control-allow-private-network", "true");
  res.setHeader("access-control-max-age", "600");
  res.writeHead(204);
  res.end();
  req.resume();
}
