import type { Decision } from "../../../src/server/dashboard/dashboard-types.js";
import { filterDecisions, type DecisionFilter, type PageState } from "../state/reducer.js";
import { KeyedList, clockTime, el, fill, type RowView } from "./dom.js";

/** Rows added to the DOM per "Show more". */
const PAGE_ROWS = 40;

const FIELDS: readonly (keyof DecisionFilter)[] = [
  "role",
  "model",
  "provider",
  "profile",
  "outcome",
];

/** The Decisions panel: newest first, filterable; a row opens that request's route explain. */
export function decisionsPanel(
  root: HTMLElement,
  onOpen: (requestId: string, opener: HTMLButtonElement) => void,
): (state: PageState) => void {
  const filter: DecisionFilter = { role: "", model: "", provider: "", profile: "", outcome: "" };
  const form = el("form", { class: "filters", role: "search", "aria-label": "Filter decisions" });
  form.addEventListener("submit", (event) => event.preventDefault());
  for (const field of FIELDS) {
    const input = el("input", {
      type: "search",
      name: field,
      placeholder: field,
      "aria-label": `Filter by ${field}`,
      autocomplete: "off",
    });
    input.addEventListener("input", () => {
      filter[field] = input.value;
      last = undefined;
      render(current);
    });
    form.append(input);
  }
  const body = el("tbody");
  const count = el("span", { class: "muted small" });
  // Rows in the DOM: a new decision shifts every row below it, and each shown row is repainted
  // then, so the list starts short and grows on request (all MAX_DECISIONS stay filterable).
  let limit = PAGE_ROWS;
  const more = el("button", { type: "button", class: "more" }, "Show more");
  more.addEventListener("click", () => {
    limit += PAGE_ROWS;
    last = undefined;
    render(current);
  });
  root.append(
    el("h2", { id: "decisions-title" }, "Decisions"),
    form,
    el(
      "table",
      { "aria-labelledby": "decisions-title", class: "decisions" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ...["Request", "Role", "Provider / profile", "Outcome", "Reason"].map((title) =>
            el("th", { scope: "col" }, title),
          ),
        ),
      ),
      body,
    ),
    el("p", { class: "list-foot" }, count, more),
  );
  const rows = new KeyedList<Decision>(
    body,
    (row) => row.requestId,
    (row) => decisionRow(row, onOpen),
  );
  let last: PageState["decisions"] | undefined;
  let current: PageState | undefined;
  const render = (state: PageState | undefined): void => {
    if (!state || state.decisions === last) return;
    last = state.decisions;
    const shown = filterDecisions(state.decisions, filter);
    rows.sync(shown.slice(0, limit));
    const text = `${Math.min(limit, shown.length)} shown of ${shown.length} matching, of the last ${state.decisions.length} requests`;
    if (count.textContent !== text) count.textContent = text;
    more.hidden = shown.length <= limit;
  };
  return (state) => {
    current = state;
    render(state);
  };
}

function decisionRow(
  row: Decision,
  onOpen: (requestId: string, opener: HTMLButtonElement) => void,
): RowView<Decision> {
  const button = el("button", { type: "button", class: "link" });
  button.addEventListener("click", () => onOpen(row.requestId, button));
  const node = el("tr");
  const update = (current: Decision): void => {
    node.dataset["request"] = current.requestId;
    node.className = current.outcome === "ok" ? "" : "failed";
    fill(button, `${clockTime(current.at)} ${current.model}`);
    button.setAttribute(
      "aria-label",
      `Explain request ${current.requestId}: ${current.model}, ${current.outcome}`,
    );
    fill(
      node,
      el("td", {}, button),
      el("td", {}, current.role ?? "–"),
      el("td", {}, `${current.provider ?? "–"} / ${current.profile ?? "–"}`),
      el(
        "td",
        {},
        el("span", { class: current.outcome === "ok" ? "chip ok" : "chip bad" }, current.outcome),
      ),
      el(
        "td",
        { class: "small" },
        el("div", { class: "reason", title: current.reason }, current.reason),
      ),
    );
  };
  update(row);
  return { node, update };
}
