import type { RunReport } from "./summarize.js";

const WIDTH = 640;
const HEIGHT = 400;
const PLOT = { left: 70, right: 620, top: 40, bottom: 330 };

/** Escapes text for SVG content and attributes (labels are model names: untrusted enough). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The plot: pass rate (0-100 %) against mean $ per task, one point per arm with the Wilson
 * interval as a vertical error bar; filled = after feedback, hollow = pass@1. The x axis is
 * logarithmic when the costs span more than 10x; free arms sit in a "$0 (local)" column.
 */
export function plotSvg(reports: readonly RunReport[]): string {
  const arms = reports.flatMap((report) => report.arms.map((arm) => ({ arm, report })));
  const costs = arms
    .map(({ arm }) => arm.cost_per_task_usd)
    .filter((cost): cost is number => cost !== null && cost > 0);
  const min = costs.length ? Math.min(...costs) : 0.001;
  const max = costs.length ? Math.max(...costs) : 0.01;
  const log = max / min > 10;
  const freeColumn = arms.some(({ arm }) => !arm.cost_per_task_usd);
  const x0 = PLOT.left + (freeColumn ? 60 : 20);
  const x1 = PLOT.right - 20;
  const xOf = (cost: number | null): number => {
    if (!cost) return PLOT.left + 30;
    if (max === min) return (x0 + x1) / 2;
    const t = log ? Math.log(cost / min) / Math.log(max / min) : (cost - min) / (max - min);
    return x0 + t * (x1 - x0);
  };
  const yOf = (rate: number): number => PLOT.bottom - rate * (PLOT.bottom - PLOT.top);
  const scripted = reports.some((report) => report.scripted);
  const parts: string[] = [];
  const title = `Pass rate against $ per task (${reports.map((report) => report.run).join(", ")})`;
  const description = arms
    .map(
      ({ arm }) =>
        `${arm.label}: pass after feedback ${pct(arm.pass_2.p)} [${pct(arm.pass_2.low)}, ${pct(arm.pass_2.high)}], pass@1 ${pct(arm.pass_1.p)}, ${arm.cost_per_task_usd === null ? "cost unknown" : `$${arm.cost_per_task_usd.toFixed(4)} per task`}, n ${arm.n}`,
    )
    .join("; ");
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="t d" font-family="DejaVu Sans, sans-serif" font-size="11">`,
    `<title id="t">${escapeXml(title)}</title>`,
    `<desc id="d">${escapeXml(description)}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333"/>`,
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333"/>`,
  );
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const y = yOf(tick);
    parts.push(
      `<line x1="${PLOT.left - 4}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${PLOT.left - 8}" y="${y + 4}" text-anchor="end">${tick * 100}%</text>`,
    );
  }
  if (freeColumn)
    parts.push(
      `<text x="${PLOT.left + 30}" y="${PLOT.bottom + 16}" text-anchor="middle">$0 (local)</text>`,
    );
  if (costs.length) {
    for (const cost of [...new Set([min, max])])
      parts.push(
        `<text x="${xOf(cost)}" y="${PLOT.bottom + 16}" text-anchor="middle">$${cost.toFixed(4)}</text>`,
      );
  }
  parts.push(
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 34}" text-anchor="middle">mean $ per task${log ? " (log scale)" : ""}</text>`,
    `<text x="16" y="${(PLOT.top + PLOT.bottom) / 2}" transform="rotate(-90 16 ${(PLOT.top + PLOT.bottom) / 2})" text-anchor="middle">pass rate</text>`,
  );
  const colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
  arms.forEach(({ arm }, index) => {
    const colour = colours[index % colours.length] ?? "#000";
    const x = xOf(arm.cost_per_task_usd) + (index % 3) * 6;
    if (arm.pass_2.low !== null && arm.pass_2.high !== null && arm.pass_2.p !== null) {
      parts.push(
        `<g class="arm"><line class="error-bar" x1="${x}" y1="${yOf(arm.pass_2.low)}" x2="${x}" y2="${yOf(arm.pass_2.high)}" stroke="${colour}" stroke-width="1.5"/>`,
        `<line x1="${x - 4}" y1="${yOf(arm.pass_2.low)}" x2="${x + 4}" y2="${yOf(arm.pass_2.low)}" stroke="${colour}"/>`,
        `<line x1="${x - 4}" y1="${yOf(arm.pass_2.high)}" x2="${x + 4}" y2="${yOf(arm.pass_2.high)}" stroke="${colour}"/>`,
        `<circle cx="${x}" cy="${yOf(arm.pass_2.p)}" r="5" fill="${colour}"/>`,
        arm.pass_1.p === null
          ? ""
          : `<circle cx="${x}" cy="${yOf(arm.pass_1.p)}" r="5" fill="none" stroke="${colour}" stroke-width="1.5"/>`,
        // Labels of points on the right half go to their left, so they stay inside the plot.
        x > WIDTH / 2
          ? `<text x="${x - 8}" y="${yOf(arm.pass_2.p) - 6}" text-anchor="end" fill="${colour}">${escapeXml(arm.label)} (n=${arm.n})</text></g>`
          : `<text x="${x + 8}" y="${yOf(arm.pass_2.p) - 6}" fill="${colour}">${escapeXml(arm.label)} (n=${arm.n})</text></g>`,
      );
    }
  });
  parts.push(
    `<text x="${PLOT.right}" y="${PLOT.top - 16}" text-anchor="end">● after feedback  ○ pass@1  bars: Wilson 95%</text>`,
    `<text x="${PLOT.left}" y="${HEIGHT - 12}" fill="#555">${escapeXml(reports.map((report) => `${report.run} · ${report.date} · tasks ${report.task_set_hash.slice(0, 12)}`).join("  |  "))}</text>`,
  );
  if (scripted)
    parts.push(
      `<text class="scripted-banner" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" font-size="34" fill="#c00" fill-opacity="0.18" transform="rotate(-18 ${WIDTH / 2} ${HEIGHT / 2})">SCRIPTED — harness test</text>`,
    );
  parts.push("</svg>");
  return `${parts.filter(Boolean).join("\n")}\n`;
}

function pct(value: number | null): string {
  return value === null ? "n/a" : `${Math.round(value * 100)}%`;
}
