import { isIP } from "node:net";
import { GatewayError } from "@hedge/model-spec";

/**
 * Whether a `Host` header names this machine's loopback: `localhost`, `127.0.0.0/8`, `[::1]` or
 * an IPv4-mapped `[::ffff:127.x.y.z]`, with or without a port, any case, one trailing dot.
 * Anything else (`localhost.evil.com`, a DNS-rebinding `evil.example:4141`, no Host) is not: a
 * web page that rebinds its own name to 127.0.0.1 still sends its own name.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  // Clients send the same Host on every request: decide it once.
  if (host === lastLoopbackHost) return true;
  const loopback =
    host.charCodeAt(0) === 0x5b /* [ */ ? isLoopbackIpv6(host) : isLoopbackName(host);
  if (loopback) lastLoopbackHost = host;
  return loopback;
}

let lastLoopbackHost: string | undefined;

/** `name`, `name:port`: `localhost` or a dotted 127.x.y.z. */
function isLoopbackName(host: string): boolean {
  const colon = host.indexOf(":");
  if (colon >= 0 && !isPort(host, colon + 1)) return false;
  let name = colon < 0 ? host : host.slice(0, colon);
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (name.length === 9 && name.toLowerCase() === "localhost") return true;
  return name.startsWith("127.") && isIP(name) === 4;
}

/** `[address]`, `[address]:port`: `::1` or IPv4-mapped 127.0.0.0/8, in any spelling. */
function isLoopbackIpv6(host: string): boolean {
  const close = host.indexOf("]");
  if (close < 0) return false;
  if (close + 1 < host.length && !(host[close + 1] === ":" && isPort(host, close + 2)))
    return false;
  const address = host.slice(1, close);
  // A zone (`fe80::1%lo`) is link-local, never loopback; the URL parser would throw on it.
  if (address.includes("%") || isIP(address) !== 6) return false;
  // The URL parser writes the canonical form: `[::1]`, `[::ffff:7f00:1]` for ::ffff:127.0.0.1.
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname;
  } catch {
    return false;
  }
  if (canonical === "[::1]") return true;
  // ::ffff:7f00:0 to ::ffff:7fff:ffff; a shorter group (`::ffff:7f:1`) is 0.127.0.1, not loopback.
  return canonical.startsWith("[::ffff:7f") && canonical[12] === ":";
}

/** Digits only, 1 to 5 of them, from `start` to the end. */
function isPort(text: string, start: number): boolean {
  const length = text.length - start;
  if (length < 1 || length > 5) return false;
  for (let index = start; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/**
 * Whether a `content-type` is JSON: `application/json`, any case, parameters allowed
 * (`; charset=utf-8`). A missing type is not: a browser sends a body without a preflight only as
 * `text/plain`, a form type, or with no type at all.
 */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value === "application/json") return true;
  const semicolon = value.indexOf(";");
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim();
  return type.length === 16 && type.toLowerCase() === "application/json";
}

/**
 * A browser origin as it appears in an `Origin` header, from a configured one: lower case, no
 * trailing slash, no default port (`HTTP://Localhost:80/` is `http://localhost`). Undefined when
 * the text is not an origin (a path, a query, user info, `null`, `*`).
 */
export function normalizeOrigin(text: string): string | undefined {
  const trimmed = text.trim().replace(/\/$/, "").toLowerCase();
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s]+$/.test(trimmed)) return undefined;
  if (!trimmed.startsWith("http://") && !trimmed.startsWith("https://")) return trimmed;
  try {
    return new URL(trimmed).origin;
  } catch {
    return undefined;
  }
}

/**
 * Why a request to a gateway without keys is refused, or undefined: a non-loopback `Host`
 * (DNS rebinding) or an `Origin` not in `allowed` (a web page; clients and SDKs send none).
 */
export function keylessRefusal(
  host: string | undefined,
  origin: string | undefined,
  allowed: ReadonlySet<string>,
): GatewayError | undefined {
  if (!isLoopbackHost(host)) {
    return new GatewayError(
      "forbidden_host",
      `this gateway has no keys and answers only loopback hosts, not ${quoted(host)}`,
      {
        status: 403,
        type: "permission_error",
        hint: "call it as http://127.0.0.1:PORT, or create a key with 'hedge gateway key create'",
      },
    );
  }
  if (origin !== undefined && !allowed.has(origin)) {
    return new GatewayError(
      "forbidden_origin",
      `this gateway has no keys and refuses requests from web pages (origin ${quoted(origin)})`,
      {
        status: 403,
        type: "permission_error",
        hint: "add the origin to gateway.allowed_origins, or create a key with 'hedge gateway key create'",
      },
    );
  }
  return undefined;
}

/** 415 for a JSON endpoint called with another content type. */
export function notJson(contentType: string | undefined): GatewayError {
  return new GatewayError(
    "unsupported_media_type",
    `the request body must be JSON (content-type: application/json), not ${quoted(contentType)}`,
    { status: 415, type: "invalid_request_error" },
  );
}

/** A header value for a message: quoted, bounded (it comes from the network). */
function quoted(value: string | undefined): string {
  if (value === undefined) return "none";
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}
