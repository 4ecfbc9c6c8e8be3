import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptedUpstream,
  type TempHome,
} from "@hedge/testkit";
import { startGateway, type GatewayProcess } from "./gateway-process.js";
import { runHedge } from "./run-hedge.js";

/** Debian's chromium; CI installs it (`.ci/run` apt list). */
export const CHROMIUM = "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);

/** Flags for a headless Chromium on a machine without network or GPU. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A gateway with profiles a, b, c of provider `lab` on a scripted upstream, and two keys. */
export interface DashboardRig {
  home: TempHome;
  upstream: ScriptedUpstream;
  gateway: GatewayProcess;
  env: NodeJS.ProcessEnv;
  /** A key without scopes (everything). */
  adminKey: string;
  /** A `dashboard:read` key. */
  readKey: string;
  browser: Browser;
  stop: () => Promise<void>;
}

export async function startRig(
  profiles: readonly string[] = ["a", "b", "c"],
): Promise<DashboardRig> {
  const upstream = await startScriptedUpstream();
  const home = await makeTempHome();
  writeFileSync(
    join(home.path, "config.toml"),
    [
      'credentials_store = "file"',
      "[qa]",
      "enabled = false",
      "[routing.retry]",
      "same_route = 0",
      "[routing.breaker]",
      "failure_threshold = 2",
      "cooldown_ms = 600000",
      "[providers.lab]",
      `base_url = "${upstream.url}/v1"`,
      'wire = "chat"',
    ].join("\n"),
  );
  const env = { ...home.env, HOME: home.path };
  for (const name of profiles) {
    const login = await runHedge(["auth", "login", "--provider", "lab", "--profile", name], {
      env,
      input: `key-${name}\n`,
    });
    if (login.code !== 0) throw new Error(`login ${name}: ${login.stderr}`);
  }
  const adminKey = await createKey(env, []);
  const readKey = await createKey(env, ["--scope", "dashboard:read"]);
  const gateway = await startGateway(env);
  // launch() gives each run a fresh temporary profile of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    home,
    upstream,
    gateway,
    env,
    adminKey,
    readKey,
    browser,
    stop: async () => {
      await browser.close();
      await gateway.stop();
      await upstream.close();
      await home.cleanup();
    },
  };
}

async function createKey(env: NodeJS.ProcessEnv, flags: string[]): Promise<string> {
  const created = await runHedge(["gateway", "key", "create", ...flags], { env });
  const key = /^hk-\S+/m.exec(created.stdout)?.[0];
  if (created.code !== 0 || !key) throw new Error(`key create: ${created.stderr}`);
  return key;
}

/** A page at 1280x720 that collects console errors and uncaught exceptions. */
export async function openPage(
  rig: DashboardRig,
  colorScheme: "light" | "dark" = "light",
): Promise<{ page: Page; errors: string[] }> {
  const context = await rig.browser.newContext({
    viewport: { width: 1280, height: 720 },
    colorScheme,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${rig.gateway.url}/dashboard`);
  return { page, errors };
}

/** Types the key into the page's form and waits for the live stream. */
export async function enterKey(page: Page, key: string): Promise<void> {
  await page.fill("#gateway-key", key);
  await page.press("#gateway-key", "Enter");
  await page.waitForSelector("#status:text('live')");
}

/** One chat request through the gateway as a client would send it. */
export async function chat(rig: DashboardRig, text = "hi"): Promise<Response> {
  return fetch(`${rig.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${rig.adminKey}` },
    body: JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: text }] }),
  });
}

/** Which profile's key each upstream request carried. */
export function served(upstream: ScriptedUpstream): string[] {
  return upstream.requests.map(
    (request) => /key-(\S+)$/.exec(request.headers["authorization"] ?? "")?.[1] ?? "?",
  );
}
