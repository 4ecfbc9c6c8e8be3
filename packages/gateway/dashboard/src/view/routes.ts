import type { RouteRow } from "../../../src/server/dashboard/dashboard-types.js";
import type { PageState } from "../state/reducer.js";
import { sparkline } from "../svg/charts.js";
import { KeyedList, clockTime, countdown, el, fill, type RowView } from "./dom.js";

/** The Routes panel: breaker state, cause and end, error rate, latency sparklines, Reset. */
export function routesPanel(
  root: HTMLElement,
  onReset: (route: string, button: HTMLButtonElement) => void,
): (state: PageState) => void {
  const body = el("tbody");
  const empty = el("p", { class: "empty" }, "No traffic yet.");
  root.append(
    el("h2", { id: "routes-title" }, "Routes"),
    el(
      "table",
      { "aria-labelledby": "routes-title" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col" }, "Route"),
          el("th", { scope: "col" }, "Breaker"),
          el("th", { scope: "col" }, "Errors (5 min)"),
          el("th", { scope: "col" }, "p50 / p99"),
          el("th", { scope: "col" }, el("span", { class: "sr-only" }, "Actions")),
        ),
      ),
      body,
    ),
    empty,
  );
  let canReset = false;
  const rows = new KeyedList<RouteRow>(
    body,
    (row) => row.route,
    (row) => routeRow(row, () => canReset, onReset),
  );
  let last: PageState["routes"] | undefined;
  return (state) => {
    const allowed = state.server?.canReset ?? false;
    if (state.routes === last && allowed === canReset) return;
    last = state.routes;
    canReset = allowed;
    empty.hidden = state.routes.size > 0;
    rows.sync([...state.routes.values()].sort((a, b) => a.route.localeCompare(b.route)));
  };
}

function routeRow(
  row: RouteRow,
  canReset: () => boolean,
  onReset: (route: string, button: HTMLButtonElement) => void,
): RowView<RouteRow> {
  const node = el("tr");
  const button = el("button", { type: "button", class: "reset" }, "Reset");
  button.addEventListener("click", () => onReset(node.dataset["route"] ?? "", button));
  const actions = el("td", {}, button);
  const cells = {
    name: el("th", { scope: "row" }),
    breaker: el("td"),
    errors: el("td"),
    latency: el("td", { class: "sparks" }),
  };
  node.append(cells.name, cells.breaker, cells.errors, cells.latency, actions);
  const update = (current: RouteRow): void => {
    node.dataset["route"] = current.route;
    node.dataset["breaker"] = current.breaker;
    node.className = current.breaker === "closed" && !current.cooldown ? "" : "tripped";
    fill(cells.name, current.route);
    const state =
      current.breaker === "closed" && current.cooldown
        ? "cooldown"
        : current.breaker.replace("_", "-");
    fill(
      cells.breaker,
      el("span", { class: `chip breaker ${state}` }, state),
      current.cause === undefined ? null : el("div", { class: "cause small" }, current.cause),
      current.until === undefined
        ? null
        : el(
            "div",
            { class: "muted small" },
            `until ${clockTime(current.until)} (`,
            countdown(current.until),
            ")",
          ),
    );
    const rate =
      current.calls === 0 ? "–" : `${Math.round((current.failures / current.calls) * 100)}%`;
    fill(
      cells.errors,
      el("span", {}, rate),
      el("span", { class: "muted small" }, ` ${current.failures}/${current.calls}`),
    );
    const latest = (values: readonly (number | null)[]): string => {
      const value = [...values].reverse().find((entry) => entry !== null);
      return value === undefined || value === null ? "–" : `${value}`;
    };
    fill(
      cells.latency,
      el(
        "div",
        { class: "spark-row" },
        sparkline(current.p50, `${current.route} p50`),
        el("span", { class: "small" }, `p50 ${latest(current.p50)} ms`),
      ),
      el(
        "div",
        { class: "spark-row" },
        sparkline(current.p99, `${current.route} p99`),
        el("span", { class: "small" }, `p99 ${latest(current.p99)} ms`),
      ),
    );
    const allowed = canReset();
    const hasState = current.breaker !== "closed" || current.cooldown !== undefined;
    button.disabled = !allowed || !hasState;
    button.title = !allowed
      ? "needs a key with the dashboard:admin scope"
      : hasState
        ? `clear the breaker and cooldowns of ${current.route}`
        : "nothing to reset";
    button.setAttribute("aria-label", `Reset ${current.route}`);
  };
  update(row);
  return { node, update: (current) => update(current) };
}
