import type { DashboardEvent, Decision } from "../../src/server/dashboard/dashboard-types.js";
import { Api, Unauthorized } from "./net/api.js";
import { backoffMs, readStream, type SseMessage } from "./net/sse.js";
import { EMPTY_STATE, reduce, type PageState } from "./state/reducer.js";
import { decisionsPanel } from "./view/decisions.js";
import { DetailDialog } from "./view/dialog.js";
import { el, fill, tickCountdowns } from "./view/dom.js";
import { fleetPanel } from "./view/fleet.js";
import { KEY_ITEM, keyForm } from "./view/key-form.js";
import { loopsPanel } from "./view/loops.js";
import { routesPanel } from "./view/routes.js";
import { spendPanel } from "./view/spend.js";

const app = document.getElementById("app") as HTMLElement;
const status = document.getElementById("status") as HTMLElement;
const forget = document.getElementById("forget") as HTMLButtonElement;

/** Event-to-paint delays and render times (ms) of the last batches, read by `pnpm bench:dashboard`. */
const paintDelays: number[] = [];
const renderMs: number[] = [];
(globalThis as { hedgeDashboard?: unknown }).hedgeDashboard = { paintDelays, renderMs };

let connection: AbortController | undefined;

/** Sets the status line; the same text again is not a change (no relayout, no re-announce). */
function say(text: string): void {
  if (status.textContent !== text) status.textContent = text;
}

function boot(message?: string): void {
  connection?.abort();
  const key = sessionStorage.getItem(KEY_ITEM);
  if (!key) {
    forget.hidden = true;
    status.textContent = "";
    fill(
      app,
      keyForm((entered) => {
        sessionStorage.setItem(KEY_ITEM, entered);
        boot();
      }, message),
    );
    return;
  }
  forget.hidden = false;
  start(new Api(key));
}

forget.addEventListener("click", () => {
  sessionStorage.removeItem(KEY_ITEM);
  boot();
});

function start(api: Api): void {
  const dialog = new DetailDialog(document.body);
  const panel = (id: string, label: string): HTMLElement =>
    el("section", { id, class: "panel", "aria-label": label });
  const fleet = panel("fleet", "Fleet");
  const routes = panel("routes", "Routes");
  const decisions = panel("decisions", "Decisions");
  const spend = panel("spend", "Spend");
  const loops = panel("loops", "Loops");
  fill(
    app,
    el("div", { class: "grid" }, el("div", { class: "left" }, fleet, routes), decisions),
    el("div", { class: "lower" }, spend, loops),
  );

  let state: PageState = EMPTY_STATE;
  const views = [
    fleetPanel(fleet),
    routesPanel(routes, (route, button) => {
      button.disabled = true;
      status.textContent = `resetting ${route}…`;
      api
        .post(`/routes/${encodeURIComponent(route)}/reset`)
        .then(() => (status.textContent = `${route} reset`))
        .catch((error: unknown) => failed(error, `reset of ${route} failed`));
    }),
    decisionsPanel(decisions, (requestId, opener) => {
      const shown = state.decisions.find((decision) => decision.requestId === requestId);
      if (shown) return dialog.showDecision(shown, opener);
      api
        .get<Decision>(`/decisions/${encodeURIComponent(requestId)}`)
        .then((decision) => dialog.showDecision(decision, opener))
        .catch((error: unknown) => failed(error, "could not load that request"));
    }),
    spendPanel(spend),
    loopsPanel(loops, (runId, opener) => {
      api
        .get<{ text: string }>(`/loops/runs/${encodeURIComponent(runId)}/log`)
        .then((log) => dialog.showText(`Log of run ${runId}`, log.text, opener))
        .catch((error: unknown) => failed(error, "could not load that log"));
    }),
  ];

  let frame = 0;
  let pending: number[] = [];
  const render = (): void => {
    frame = 0;
    const began = performance.now();
    for (const view of views) view(state);
    renderMs.push(performance.now() - began);
    if (renderMs.length > 5000) renderMs.splice(0, renderMs.length - 5000);
    const painted = Date.now();
    for (const at of pending) paintDelays.push(painted - at);
    if (paintDelays.length > 5000) paintDelays.splice(0, paintDelays.length - 5000);
    pending = [];
  };
  const onMessage = (message: SseMessage): void => {
    if (message.event !== "snapshot" && message.event !== "batch") return;
    const data: unknown = JSON.parse(message.data);
    const event = (
      message.event === "snapshot"
        ? { type: "snapshot", snapshot: data }
        : { type: "batch", batch: data }
    ) as DashboardEvent;
    lastId = message.id;
    state = reduce(state, event, Date.now());
    if (event.type === "batch") pending.push(event.batch.now);
    failures = 0;
    say("live");
    frame ||= requestAnimationFrame(render);
  };

  const controller = new AbortController();
  connection = controller;
  let lastId: string | undefined;
  let failures = 0;
  const connect = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      if (failures === 0) say("connecting…");
      const headers = {
        ...api.headers(),
        ...(lastId === undefined ? {} : { "last-event-id": lastId }),
      };
      const end = await readStream("/dashboard/api/events", headers, onMessage, controller.signal);
      if (controller.signal.aborted) return;
      if (end === "unauthorized") {
        sessionStorage.removeItem(KEY_ITEM);
        return boot("The gateway refused that key. Paste a valid one.");
      }
      failures += 1;
      const wait = backoffMs(failures);
      say(`reconnecting in ${Math.round(wait / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  void connect();

  const clock = setInterval(() => {
    if (controller.signal.aborted) return clearInterval(clock);
    tickCountdowns(app, state.skewMs);
  }, 1000);

  function failed(error: unknown, what: string): void {
    if (error instanceof Unauthorized) {
      sessionStorage.removeItem(KEY_ITEM);
      return boot("The gateway refused that key. Paste a valid one.");
    }
    status.textContent = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

boot();
