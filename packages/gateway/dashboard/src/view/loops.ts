import type { LoopRow } from "../../../src/server/dashboard/dashboard-types.js";
import type { PageState } from "../state/reducer.js";
import { clockTime, countdown, el, fill } from "./dom.js";

/** The Loops panel: next run and last result per loop; "daemon not running" without a ledger. */
export function loopsPanel(
  root: HTMLElement,
  onLog: (runId: string, opener: HTMLButtonElement) => void,
): (state: PageState) => void {
  const content = el("div");
  root.append(el("h2", {}, "Loops"), content);
  let last: PageState["loops"] | undefined;
  return (state) => {
    if (state.loops === last) return;
    last = state.loops;
    const note = state.loops.running
      ? null
      : el("p", { class: "empty" }, "daemon not running (hedge daemon start)");
    if (state.loops.loops.length === 0) {
      fill(content, note ?? el("p", { class: "empty" }, "No loops scheduled."));
      return;
    }
    fill(
      content,
      note,
      el(
        "table",
        { "aria-label": "Loops" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            ...["Loop", "Next run", "Last run", "Duration", "Diff", "Log"].map((head) =>
              el("th", { scope: "col" }, head),
            ),
          ),
        ),
        el("tbody", {}, ...state.loops.loops.map((loop) => loopRow(loop, onLog))),
      ),
    );
  };
}

function loopRow(
  loop: LoopRow,
  onLog: (runId: string, opener: HTMLButtonElement) => void,
): HTMLElement {
  const lastRun = loop.last;
  let log: HTMLButtonElement | null = null;
  if (lastRun) {
    const button = el(
      "button",
      { type: "button", class: "link", "aria-label": `Log of ${loop.name}'s last run` },
      "log",
    );
    button.addEventListener("click", () => onLog(lastRun.runId, button));
    log = button;
  }
  return el(
    "tr",
    { "data-loop": loop.name },
    el(
      "th",
      { scope: "row" },
      loop.name,
      el(
        "div",
        { class: "muted small" },
        `${loop.schedule}${loop.state === "active" ? "" : ` · ${loop.state}`}`,
      ),
    ),
    el(
      "td",
      {},
      loop.nextRunAt === undefined
        ? "–"
        : el("span", {}, `${clockTime(loop.nextRunAt)} (in `, countdown(loop.nextRunAt), ")"),
    ),
    el(
      "td",
      {},
      lastRun
        ? el(
            "span",
            {
              class: `chip ${lastRun.status === "succeeded" ? "ok" : lastRun.status === "running" || lastRun.status === "skipped" ? "ready" : "bad"}`,
            },
            lastRun.status,
          )
        : "never",
      lastRun ? ` ${clockTime(lastRun.startedAt)}` : "",
    ),
    el(
      "td",
      {},
      lastRun?.durationMs === undefined ? "–" : `${Math.round(lastRun.durationMs / 1000)} s`,
    ),
    el("td", {}, lastRun?.diffStat ?? "–"),
    el("td", {}, log),
  );
}
