import type { Decision } from "../../../src/server/dashboard/dashboard-types.js";
import { clockTime, dollars, el, fill, tokens } from "./dom.js";

/**
 * The one `<dialog>` of the page (a request's route explain, a loop's log). Esc closes it
 * (native), and focus goes back to what opened it.
 */
export class DetailDialog {
  private readonly dialog = el("dialog", { "aria-labelledby": "dialog-title" });
  private readonly title = el("h2", { id: "dialog-title" });
  private readonly body = el("div", { class: "dialog-body" });
  private opener: HTMLElement | undefined;

  constructor(parent: HTMLElement) {
    const close = el("button", { type: "button", class: "close" }, "Close");
    close.addEventListener("click", () => this.dialog.close());
    this.dialog.append(el("header", {}, this.title, close), this.body);
    this.dialog.addEventListener("close", () => {
      this.opener?.focus();
      this.opener = undefined;
    });
    parent.append(this.dialog);
  }

  showText(title: string, text: string, opener: HTMLElement): void {
    this.show(title, [el("pre", { class: "log" }, text)], opener);
  }

  showDecision(decision: Decision, opener: HTMLElement): void {
    const facts: [string, string][] = [
      ["Request", decision.requestId],
      ["At", `${new Date(decision.at).toISOString().slice(0, 10)} ${clockTime(decision.at)}`],
      ["Model asked", decision.model],
      ["Role", decision.role ?? "–"],
      ["Served by", decision.route ?? "–"],
      ["Outcome", decision.outcome],
      ["Tokens", `${tokens(decision.inputTokens)} in, ${tokens(decision.outputTokens)} out`],
      ["Cost", decision.costUsd === undefined ? "unpriced" : dollars(decision.costUsd)],
    ];
    this.show(
      `Route explain: ${decision.model}`,
      [
        el("p", { class: "reason" }, decision.reason),
        el(
          "dl",
          {},
          ...facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]),
        ),
        el("h3", {}, "Attempts"),
        decision.attempts.length === 0
          ? el("p", { class: "muted" }, "none")
          : el(
              "table",
              {},
              el(
                "thead",
                {},
                el(
                  "tr",
                  {},
                  ...["Route", "Upstream model", "Status", "Outcome", "Latency"].map((title) =>
                    el("th", { scope: "col" }, title),
                  ),
                ),
              ),
              el(
                "tbody",
                {},
                ...decision.attempts.map((attempt) =>
                  el(
                    "tr",
                    {},
                    el("td", {}, attempt.route),
                    el("td", {}, attempt.model ?? "–"),
                    el("td", {}, attempt.status === undefined ? "–" : String(attempt.status)),
                    el("td", {}, attempt.outcome),
                    el("td", {}, attempt.latencyMs === undefined ? "–" : `${attempt.latencyMs} ms`),
                  ),
                ),
              ),
            ),
        el("h3", {}, "Excluded routes"),
        decision.excluded.length === 0
          ? el("p", { class: "muted" }, "none")
          : el(
              "ul",
              {},
              ...decision.excluded.map((excluded) =>
                el("li", {}, el("strong", {}, excluded.route), ` ${excluded.reason}`),
              ),
            ),
      ],
      opener,
    );
  }

  private show(title: string, content: Node[], opener: HTMLElement): void {
    this.opener = opener;
    this.title.textContent = title;
    fill(this.body, ...content);
    if (!this.dialog.open) this.dialog.showModal();
  }
}
