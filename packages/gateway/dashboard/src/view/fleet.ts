import type { FleetProfile } from "../../../src/server/dashboard/dashboard-types.js";
import type { PageState } from "../state/reducer.js";
import { meterBar } from "../svg/charts.js";
import { KeyedList, countdown, el, fill, type RowView } from "./dom.js";

/** The Fleet panel: one row per profile with a bar per rate-limit window. */
export function fleetPanel(root: HTMLElement): (state: PageState) => void {
  const body = el("tbody");
  const empty = el("p", { class: "empty" }, "No profiles: log one in with hedge auth login.");
  root.append(
    el("h2", { id: "fleet-title" }, "Fleet"),
    el(
      "table",
      { "aria-labelledby": "fleet-title" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col" }, "Profile"),
          el("th", { scope: "col" }, "State"),
          el("th", { scope: "col" }, "Headroom per window"),
        ),
      ),
      body,
    ),
    empty,
  );
  const rows = new KeyedList<FleetProfile>(body, (row) => row.profile, profileRow);
  let last: PageState["fleet"] | undefined;
  return (state) => {
    if (state.fleet === last) return;
    last = state.fleet;
    const sorted = [...state.fleet.values()].sort(
      (a, b) => a.provider.localeCompare(b.provider) || a.profile.localeCompare(b.profile),
    );
    empty.hidden = sorted.length > 0;
    rows.sync(sorted);
  };
}

function profileRow(row: FleetProfile): RowView<FleetProfile> {
  const node = el("tr");
  const update = (current: FleetProfile): void => {
    node.dataset["profile"] = current.profile;
    node.dataset["state"] = current.state;
    node.className = [current.state, current.next ? "next" : ""].join(" ").trim();
    const badges = el("span", { class: "badges" });
    badges.append(el("span", { class: `chip state ${current.state}` }, current.state));
    if (current.pinned) badges.append(el("span", { class: "chip pinned" }, "pinned"));
    if (current.next) badges.append(el("span", { class: "chip next" }, "next"));
    const cooldown = current.cooldown;
    fill(
      node,
      el(
        "th",
        { scope: "row" },
        el("span", { class: "name" }, current.profile),
        el("span", { class: "muted" }, ` ${current.provider}`),
      ),
      el(
        "td",
        {},
        badges,
        cooldown
          ? el(
              "div",
              { class: "muted small", title: cooldown.reason },
              `${cooldown.kind} · ends in `,
              countdown(cooldown.until),
            )
          : null,
      ),
      el(
        "td",
        { class: "windows" },
        ...(current.windows.length === 0
          ? [el("span", { class: "muted" }, "no limits seen yet")]
          : current.windows.map((window) => {
              const percent = Math.round(window.left * 100);
              return el(
                "div",
                { class: window.stale ? "window stale" : "window" },
                el("span", { class: "wname" }, window.name),
                el(
                  "span",
                  {
                    role: "meter",
                    "aria-valuemin": "0",
                    "aria-valuemax": "100",
                    "aria-valuenow": String(percent),
                    "aria-label": `${current.profile} ${window.name} headroom`,
                  },
                  meterBar(window.left, percent < 10 ? "low" : percent < 30 ? "mid" : "ok"),
                ),
                el("span", { class: "pct" }, `${percent}%`),
                window.resetAt === undefined
                  ? null
                  : el("span", { class: "muted small" }, "resets ", countdown(window.resetAt)),
              );
            })),
      ),
    );
  };
  update(row);
  return { node, update };
}
