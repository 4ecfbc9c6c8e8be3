import type { IncomingMessage, ServerResponse } from "node:http";
import { resetRoutes } from "../../routing/route-state.js";
import { headerValue } from "../forward.js";
import {
  keyAllows,
  type GatewayKeyRecord,
  type GatewayKeyStore,
  type KeyScope,
} from "../gateway-keys.js";
import { decisionOf } from "./traffic-state.js";
import { DashboardStream } from "./event-stream.js";
import { DashboardHub, type DashboardHubOptions } from "./hub.js";
import { PAGE_HEADERS, serveStatic } from "./static.js";

/** What `createGatewayServer` needs to serve `/dashboard`. */
export interface DashboardOptions extends DashboardHubOptions {
  /** The built page (`index.html`, `assets/`). */
  assetsDir: string;
  log?: (line: string) => void;
  /** How often open streams are pinged and their keys checked again (default 15 s). */
  pingMs?: number;
}

/** `/dashboard` on one server: the page, its API and its event stream. */
export interface Dashboard {
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    keys: GatewayKeyStore,
  ): Promise<void>;
  close(): void;
}

/** Log tails are cut to this much. */
const LOG_TAIL_BYTES = 64 * 1024;

/** Whether a path belongs to the dashboard. */
export function isDashboardPath(path: string): boolean {
  return path === "/dashboard" || path.startsWith("/dashboard/");
}

/**
 * The dashboard. The page and its assets hold no data and need no key; every `/dashboard/api/*`
 * call needs a gateway key in a header (`Authorization: Bearer` or `x-api-key`), even when the
 * gateway takes model traffic without one: 401 without a valid key, 403 without the scope.
 * No CORS headers are ever sent, so no other origin's page can read an answer.
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const hub = new DashboardHub(options);
  const stream = new DashboardStream(hub, options.pingMs);
  return {
    async serve(req, res, path, keys) {
      const method = req.method ?? "GET";
      if (!path.startsWith("/dashboard/api/")) {
        req.resume();
        if (method !== "GET" && method !== "HEAD") return fail(res, 405, "method_not_allowed");
        return serveStatic(options.assetsDir, path, res, method === "HEAD");
      }
      const endpoint = path.slice("/dashboard/api".length);
      const key = keyOf(keys, req);
      if (!key) {
        req.resume();
        res.setHeader("connection", "close");
        return fail(res, 401, "authentication_error", "missing or invalid gateway key");
      }
      const reset = /^\/routes\/([^/]+)\/reset$/.exec(endpoint);
      const scope: KeyScope = reset ? "dashboard:admin" : "dashboard:read";
      if (!keyAllows(key, scope)) {
        req.resume();
        return fail(res, 403, "permission_error", `this key lacks the ${scope} scope`);
      }
      if (reset) {
        req.resume();
        if (method !== "POST") return fail(res, 405, "method_not_allowed");
        // Header-only auth already defeats CSRF; a foreign page's POST is refused anyway.
        const origin = req.headers.origin;
        if (origin !== undefined && origin !== `http://${req.headers.host ?? ""}`)
          return fail(res, 403, "permission_error", "cross-origin reset refused");
        const route = decoded(reset[1]);
        const cleared = await resetRoutes(options.sources.store, (name) => name === route);
        options.log?.(`dashboard: key ${key.id} reset ${route} (${cleared.length} cleared)`);
        await hub.poke();
        return json(res, 200, { route, cleared: cleared.length });
      }
      req.resume();
      if (method !== "GET") return fail(res, 405, "method_not_allowed");
      const canReset = keyAllows(key, "dashboard:admin");
      if (endpoint === "/snapshot") {
        const snapshot = await hub.snapshot();
        return json(res, 200, { ...snapshot, server: { ...snapshot.server, canReset } });
      }
      if (endpoint === "/events") {
        return stream.open(
          res,
          headerValue(req.headers, "last-event-id"),
          (snapshot) => ({ ...snapshot, server: { ...snapshot.server, canReset } }),
          () => {
            const current = keyOf(keys, req);
            return current !== undefined && keyAllows(current, "dashboard:read");
          },
        );
      }
      const decision = /^\/decisions\/([^/]+)$/.exec(endpoint);
      if (decision) {
        const id = decoded(decision[1]);
        const shown = (await hub.snapshot()).decisions.find((entry) => entry.requestId === id);
        if (shown) return json(res, 200, shown);
        const entry = (await options.sources.store.listAudit()).find((row) => row.requestId === id);
        if (!entry) return fail(res, 404, "not_found_error", "no such request in the audit log");
        return json(res, 200, hub.redactView(decisionOf(entry)));
      }
      const log = /^\/loops\/runs\/([^/]+)\/log$/.exec(endpoint);
      if (log && options.loops) {
        const text = await options.loops.logTail(decoded(log[1]), LOG_TAIL_BYTES);
        if (text === undefined) return fail(res, 404, "not_found_error", "no such run");
        return json(res, 200, { text: hub.redactView(text) });
      }
      return fail(res, 404, "not_found_error", `no dashboard endpoint ${endpoint}`);
    },
    close() {
      stream.close();
      hub.close();
    },
  };
}

/** A path segment decoded; a malformed escape is kept as written (it then matches nothing). */
function decoded(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? "");
  } catch {
    return segment ?? "";
  }
}

function keyOf(keys: GatewayKeyStore, req: IncomingMessage): GatewayKeyRecord | undefined {
  const bearer = headerValue(req.headers, "authorization");
  const presented = bearer?.toLowerCase().startsWith("bearer ")
    ? bearer.slice(7).trim()
    : headerValue(req.headers, "x-api-key");
  return keys.verify(presented);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...PAGE_HEADERS,
    "content-type": "application/json",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(body));
}

function fail(res: ServerResponse, status: number, type: string, message?: string): void {
  json(res, status, { error: { type, ...(message === undefined ? {} : { message }) } });
}
