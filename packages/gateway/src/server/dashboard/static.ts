import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServerResponse } from "node:http";

/**
 * Headers of every dashboard answer: the page runs only its own script and style, talks only
 * to its own origin, cannot be framed, and sends no referrer (its URL holds nothing, but still).
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Built asset names: content-hashed, no directories, no dots before the extension's. */
const ASSET_NAME = /^[A-Za-z0-9_-]+\.(?:js|css|svg|png)$/;

/**
 * Serves the page built at package time (`scripts/build-dashboard.mjs`) from `dir`: `index.html`
 * (never cached: it names the current assets) and `assets/NAME-HASH.ext` (cached for good).
 * The files hold no data, so they need no key. A missing build is a 503 that says what to run.
 */
export async function serveStatic(
  dir: string,
  path: string,
  res: ServerResponse,
  head: boolean,
): Promise<void> {
  const asset = path.startsWith("/dashboard/assets/")
    ? path.slice("/dashboard/assets/".length)
    : undefined;
  if (asset !== undefined && !ASSET_NAME.test(asset)) return notFound(res);
  const file = asset === undefined ? join(dir, "index.html") : join(dir, "assets", asset);
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    if (asset !== undefined) return notFound(res);
    res.writeHead(503, { ...PAGE_HEADERS, "content-type": "text/plain; charset=utf-8" });
    res.end("dashboard not built: run `npm run setup` (or `pnpm build`) and restart the gateway\n");
    return;
  }
  const extension = file.slice(file.lastIndexOf("."));
  res.writeHead(200, {
    ...PAGE_HEADERS,
    "content-type": TYPES[extension] ?? "application/octet-stream",
    "content-length": String(body.length),
    "cache-control": asset === undefined ? "no-store" : "public, max-age=31536000, immutable",
  });
  res.end(head ? undefined : body);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { ...PAGE_HEADERS, "content-type": "text/plain; charset=utf-8" });
  res.end("not found\n");
}
