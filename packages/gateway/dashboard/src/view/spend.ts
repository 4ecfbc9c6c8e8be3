import type { SpendDimension, SpendRow } from "../../../src/server/dashboard/dashboard-types.js";
import type { PageState } from "../state/reducer.js";
import { columns, stackedBar } from "../svg/charts.js";
import { dollars, el, fill, tokens } from "./dom.js";

const DIMENSIONS: readonly SpendDimension[] = ["role", "model", "profile"];
/** Segments shown per bar; the rest is summed as "other". */
const TOP = 5;

/** The Spend panel: today and 7 days by role, model and profile; a table with the same numbers. */
export function spendPanel(root: HTMLElement): (state: PageState) => void {
  const content = el("div", { class: "spend" });
  root.append(el("h2", {}, "Spend"), content);
  let last: PageState["spend"];
  return (state) => {
    const spend = state.spend;
    if (spend === last || !spend) return;
    last = spend;
    const week = spend.days.reduce((sum, day) => sum + day.usd, 0);
    const weekTokens = spend.days.reduce((sum, day) => sum + day.inputTokens + day.outputTokens, 0);
    fill(
      content,
      el(
        "div",
        { class: "days" },
        el(
          "h3",
          {},
          week > 0 || weekTokens === 0
            ? `Last 7 days: ${dollars(week)}`
            : `Last 7 days: ${tokens(weekTokens)} tokens (unpriced)`,
        ),
        columns(
          spend.days.map((day) => ({
            label: day.day,
            // Unpriced models cost $0: their tokens still show where the traffic went.
            value: week > 0 ? day.usd : day.inputTokens + day.outputTokens,
            title: `${day.day}: ${dollars(day.usd)}, ${tokens(day.inputTokens)} in, ${tokens(day.outputTokens)} out`,
          })),
        ),
        el(
          "div",
          { class: "axis muted small" },
          el("span", {}, spend.days[0]?.day ?? ""),
          el("span", {}, "today"),
        ),
      ),
      ...(["today", "week"] as const).map((period) =>
        el(
          "div",
          { class: "period" },
          el("h3", {}, period === "today" ? "Today" : "7 days"),
          ...DIMENSIONS.map((dimension) =>
            dimensionBlock(
              `${period === "today" ? "Today" : "7 days"} by ${dimension}`,
              spend[period][dimension],
            ),
          ),
        ),
      ),
      el(
        "p",
        { class: "muted small" },
        spend.rollups
          ? "Summed from the gateway's per-day rollups."
          : `Summed from the audit log (the last ${spend.auditCap.toLocaleString()} requests at most).`,
      ),
    );
  };
}

function dimensionBlock(title: string, rows: readonly SpendRow[]): HTMLElement {
  const top = rows.slice(0, TOP);
  const rest = rows.slice(TOP);
  const parts = [
    ...top,
    ...(rest.length
      ? [
          rest.reduce(
            (sum, row) => ({
              ...sum,
              usd: sum.usd + row.usd,
              inputTokens: sum.inputTokens + row.inputTokens,
              outputTokens: sum.outputTokens + row.outputTokens,
              calls: sum.calls + row.calls,
            }),
            { key: "other", usd: 0, inputTokens: 0, outputTokens: 0, calls: 0 },
          ),
        ]
      : []),
  ];
  const byTokens = parts.every((row) => row.usd === 0);
  const value = (row: SpendRow): number =>
    byTokens ? row.inputTokens + row.outputTokens : row.usd;
  const total = parts.reduce((sum, row) => sum + value(row), 0);
  return el(
    "details",
    {},
    el(
      "summary",
      {},
      el("span", { class: "dim" }, title.split(" by ")[1] ?? title),
      stackedBar(
        parts.map((row) => ({
          label: `${row.key}: ${dollars(row.usd)}, ${tokens(row.inputTokens)} in, ${tokens(row.outputTokens)} out`,
          value: value(row),
        })),
        total,
      ),
    ),
    el(
      "table",
      { "aria-label": title },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ...["", "Key", "Calls", "Tokens in", "Tokens out", "$"].map((head) =>
            el("th", { scope: "col" }, head),
          ),
        ),
      ),
      el(
        "tbody",
        {},
        ...parts.map((row, index) =>
          el(
            "tr",
            {},
            el("td", {}, el("span", { class: `swatch seg-${index % 6}`, "aria-hidden": "true" })),
            el("th", { scope: "row" }, row.key),
            el("td", {}, String(row.calls)),
            el("td", {}, tokens(row.inputTokens)),
            el("td", {}, tokens(row.outputTokens)),
            el("td", {}, dollars(row.usd)),
          ),
        ),
      ),
    ),
  );
}
