import { spawn } from "node:child_process";
import { HedgeError, UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import { gatewayKeys, publishGatewayKey } from "../composition/admin.js";
import type { GlobalOptions } from "../context.js";

export interface DashboardOptions {
  url?: string;
  newKey: boolean;
  admin: boolean;
  open: boolean;
}

/**
 * `hedge dashboard`: the running gateway's `/dashboard` URL, opened in a browser when one can
 * be (only the URL goes on the browser's command line: argv is visible to other local users,
 * so never a key); with `--new-key`, a dashboard key printed once to paste into the page.
 */
export async function runDashboard(
  globals: GlobalOptions,
  options: DashboardOptions,
): Promise<void> {
  const context = commandContext(globals);
  const { home, loaded } = context;
  const base = options.url ?? defaultBase(loaded.config.gateway.host, loaded.config.gateway.port);
  let page: URL;
  try {
    page = new URL("/dashboard", base);
  } catch {
    throw new UsageError(`--url expects a URL such as http://127.0.0.1:4141, got "${base}"`);
  }
  if (page.protocol !== "http:" && page.protocol !== "https:")
    throw new UsageError(`--url expects an http(s) URL, got "${base}"`);
  if (!(await answers(new URL("/healthz", page)))) {
    throw new HedgeError("gateway_not_running", `no gateway answers at ${page.origin}`, {
      hint: "start it with 'hedge gateway serve' (or pass --url to the one you run)",
    });
  }
  if (options.newKey) {
    const scope = options.admin ? "dashboard:admin" : "dashboard:read";
    const { key, record } = gatewayKeys(home).create(`dashboard-${Date.now().toString(36)}`, [
      scope,
    ]);
    // With a Redis store every replica (and every worker) accepts it, with its scope.
    await publishGatewayKey(context, record);
    process.stdout.write(`${key}\n`);
    process.stderr.write(
      `created ${scope} key ${record.id}; paste it into the page (shown only now).\n`,
    );
  }
  const opened = options.open && (await openBrowser(page.href));
  process.stdout.write(`${page.href}\n`);
  if (options.open && !opened)
    process.stderr.write("no browser to open here: open the URL above yourself.\n");
}

function defaultBase(host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}

async function answers(url: URL): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts the desktop's browser on `url`; false when there is none (a server, a container). */
function openBrowser(url: string): Promise<boolean> {
  const command =
    process.platform === "darwin"
      ? ["open", url]
      : process.platform === "win32"
        ? ["cmd", "/c", "start", "", url]
        : process.env["DISPLAY"] || process.env["WAYLAND_DISPLAY"]
          ? ["xdg-open", url]
          : undefined;
  if (!command) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(command[0] as string, command.slice(1), {
      detached: true,
      stdio: "ignore",
    });
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      child.unref();
      resolve(true);
    });
  });
}
