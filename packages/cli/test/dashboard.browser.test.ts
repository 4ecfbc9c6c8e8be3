import { tmpdir } from "node:os";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorReply, makeTempDir, openAiRateLimitHeaders, rateLimitedReply } from "@hedge/testkit";
import {
  chat,
  enterKey,
  haveChromium,
  openPage,
  served,
  startRig,
  type DashboardRig,
} from "./dashboard-browser.js";
import { runHedge } from "./run-hedge.js";

/**
 * README's screenshots: written into docs/ only when asked (`HEDGE_SCREENSHOTS=1`), so a test run
 * never changes the checkout; otherwise into the OS temp dir, still taken (the page must render).
 */
const DOCS =
  process.env["HEDGE_SCREENSHOTS"] === "1"
    ? fileURLToPath(new URL("../../../docs/", import.meta.url))
    : `${tmpdir()}/hedge-dashboard-screenshots-${process.pid}/`;
/** A provider error that would run script if the page ever parsed data as HTML. */
const HOSTILE = `upstream down <img src=x onerror="window.__xss=1"><b>bold</b>`;

// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core against a real
// `hedge gateway serve` on the scripted upstream. `npm test` installs chromium (provision.mjs);
// without it every test here fails with that one line, never silently skipped.
describe("the dashboard in a real browser", () => {
  let rig: DashboardRig;
  beforeAll(async () => {
    if (!haveChromium)
      throw new Error(
        "needs Debian's chromium at /usr/bin/chromium: run node scripts/provision.mjs test",
      );
    rig = await startRig();
  }, 60_000);
  afterAll(async () => {
    await rig?.stop();
  });

  it("shows the fleet, a profile switch live within 2 s, a breaker trip and its reset, with no console error", async () => {
    const { page, errors } = await openPage(rig);
    await enterKey(page, rig.adminKey);
    await page.waitForSelector('tr[data-profile="c"]');
    expect(await page.locator("#fleet tr[data-profile]").count()).toBe(3);
    await page.waitForSelector('tr[data-profile="a"][data-state="active"]');

    // a answers 429 with its window spent: the request moves to b, and the page follows.
    rig.upstream.push(
      rateLimitedReply({
        retryAfterSeconds: 600,
        headers: openAiRateLimitHeaders({
          requests: { limit: 100, remaining: 0, resetMs: 600_000 },
        }),
      }),
      { text: "ok" },
    );
    expect((await chat(rig)).status).toBe(200);
    expect(served(rig.upstream)).toEqual(["a", "b"]);
    await page.waitForSelector('tr[data-profile="a"][data-state="cooldown"]', { timeout: 2000 });
    await page.waitForSelector('tr[data-profile="b"][data-state="active"]', { timeout: 2000 });
    expect(
      await page
        .locator('tr[data-profile="a"] [role="meter"]')
        .first()
        .getAttribute("aria-valuenow"),
    ).toBe("0");

    // A few answered requests, so decisions and latency show; then README's screenshots.
    rig.upstream.push({ text: "ok", usage: { inputTokens: 1200, outputTokens: 80 }, repeat: true });
    for (let i = 0; i < 4; i++) expect((await chat(rig)).status).toBe(200);
    await page.waitForSelector("#decisions tr[data-request]:nth-child(5)");
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: `${DOCS}dashboard.png` });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: `${DOCS}dashboard-dark.png` });
    await page.emulateMedia({ colorScheme: "light" });
    rig.upstream.reset();

    // b and c fail with a hostile error text until their breakers open.
    rig.upstream.push({ ...errorReply(500, { message: HOSTILE }), repeat: true });
    for (let i = 0; i < 2; i++) await chat(rig);
    const tripped = page.locator('tr[data-route="lab:profile:b"]');
    await page.waitForSelector('tr[data-route="lab:profile:b"][data-breaker="open"]');
    await expect.poll(() => tripped.locator(".cause").textContent()).toContain("<img src=x");
    // Shown as text: no element was made of it, no script ran.
    expect(await page.locator("#app img, #app b").count()).toBe(0);
    expect(await page.evaluate("typeof window.__xss")).toBe("undefined");
    // The decision rows carry the same text.
    await page.waitForSelector("#decisions tr.failed");

    await tripped.locator("button.reset").click();
    await page.waitForSelector('tr[data-route="lab:profile:b"][data-breaker="closed"]');
    const status = await runHedge(["gateway", "status", "--json"], { env: rig.env });
    const breakers = (JSON.parse(status.stdout) as { breakers: { route: string }[] }).breakers;
    expect(breakers.map((breaker) => breaker.route)).not.toContain("lab:profile:b");
    expect(breakers.map((breaker) => breaker.route)).toContain("lab:profile:c");
    expect(errors).toEqual([]);
  });

  it("with a dashboard:read key shows everything but Reset is disabled, and says why", async () => {
    const { page, errors } = await openPage(rig, "dark");
    await enterKey(page, rig.readKey);
    const reset = page.locator('tr[data-route="lab:profile:c"] button.reset');
    await reset.waitFor();
    expect(await reset.isDisabled()).toBe(true);
    expect(await reset.getAttribute("title")).toContain("dashboard:admin");
    // This home has no daemon ledger.
    expect(await page.locator("#loops").textContent()).toContain("daemon not running");
    expect(errors).toEqual([]);
  });

  it("is keyboard reachable: Tab reaches the key field, Reset and a decision; Enter explains it, Esc returns focus", async () => {
    const { page, errors } = await openPage(rig);
    // Runs in the page (this file compiles without DOM types): what has focus, and its row.
    const focused = (): Promise<string> =>
      page.evaluate(`(() => {
        const active = document.activeElement;
        const row = active && active.closest("tr");
        const where = row ? row.dataset.route || row.dataset.request || "" : "";
        return (active.id || active.className || active.tagName) + "|" + where;
      })()`);
    await page.locator("body").focus();
    const seen: string[] = [];
    for (let i = 0; i < 5 && !seen.some((item) => item.startsWith("gateway-key")); i++) {
      await page.keyboard.press("Tab");
      seen.push(await focused());
    }
    expect(seen.some((item) => item.startsWith("gateway-key"))).toBe(true);
    await page.keyboard.type(rig.adminKey);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#status:text('live')");
    await page.waitForSelector('tr[data-route="lab:profile:c"] button.reset:not([disabled])');
    await page.waitForSelector("#decisions button.link");

    const reached: string[] = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press("Tab");
      const item = await focused();
      reached.push(item);
      if (item.startsWith("link|")) break;
    }
    expect(reached).toContain("reset|lab:profile:c");
    const decision = reached.find((item) => item.startsWith("link|")) ?? "";
    expect(decision).not.toBe("");

    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog[open]");
    expect(await page.locator("dialog h2").textContent()).toContain("Route explain");
    await page.keyboard.press("Escape");
    await page.waitForSelector("dialog:not([open])", { state: "attached" });
    expect(await focused()).toBe(decision);
    expect(errors).toEqual([]);
  });

  it("shows live a request another hedge process (hedge exec) made on the same state", async () => {
    const { page, errors } = await openPage(rig);
    await enterKey(page, rig.adminKey);
    await page.waitForSelector("#decisions tr[data-request]");
    const before = await page.locator("#decisions tr[data-request]").count();
    rig.upstream.reset();
    rig.upstream.push({ text: "done", repeat: true });
    await runHedge(["gateway", "reset", "--all"], { env: rig.env });
    const cwd = await makeTempDir("hedge-dashboard-exec-");
    try {
      const run = await runHedge(["exec", "--skip-git-repo-check", "-m", "lab/m", "hi"], {
        env: rig.env,
        cwd: cwd.path,
      });
      expect(run.code, run.stderr).toBe(0);
    } finally {
      await cwd.cleanup();
    }
    await expect
      .poll(() => page.locator("#decisions tr[data-request]").count())
      .toBeGreaterThan(before);
    expect(await page.locator("#decisions tr[data-request] .chip").first().textContent()).toBe(
      "ok",
    );
    expect(errors).toEqual([]);
  });

  it("a refused key brings the key form back with a message, and is not kept", async () => {
    const { page } = await openPage(rig);
    await page.fill("#gateway-key", "hk-not-a-key");
    await page.press("#gateway-key", "Enter");
    await page.waitForSelector(".key-form [role=alert]");
    expect(await page.evaluate('sessionStorage.getItem("hedge.gatewayKey")')).toBeNull();
    expect(page.url()).not.toContain("hk-");
  });
});
