import { svg } from "../view/dom.js";

/**
 * A latency sparkline: one polyline over the minutes that had traffic, scaled to the largest
 * value; its `<title>` carries the numbers for a screen reader or a hover.
 */
export function sparkline(values: readonly (number | null)[], label: string): SVGElement {
  const max = Math.max(1, ...values.map((value) => value ?? 0));
  const step = values.length > 1 ? 120 / (values.length - 1) : 120;
  const points = values
    .map((value, index) =>
      value === null
        ? undefined
        : `${(index * step).toFixed(1)},${(23 - (value / max) * 22).toFixed(1)}`,
    )
    .filter((point) => point !== undefined);
  // One minute of traffic is one point: draw it as a short dash so it shows.
  if (points.length === 1)
    points.unshift(points[0]?.replace(/^[\d.]+/, (x) => String(Math.max(0, Number(x) - 3))) ?? "");
  const latest = [...values].reverse().find((value) => value !== null);
  const title = `${label}: ${latest === undefined || latest === null ? "no traffic" : `${latest} ms now`}, max ${max} ms (30 min)`;
  return svg(
    "svg",
    {
      class: "spark",
      viewBox: "0 0 120 24",
      preserveAspectRatio: "none",
      role: "img",
      "aria-label": title,
    },
    svg("title", {}, title),
    svg("polyline", { points: points.join(" "), "vector-effect": "non-scaling-stroke" }),
  );
}

/** A headroom bar: `left` (0..1) of the track filled. */
export function meterBar(left: number, className: string): SVGElement {
  return svg(
    "svg",
    {
      class: `bar ${className}`,
      viewBox: "0 0 100 8",
      preserveAspectRatio: "none",
      "aria-hidden": "true",
    },
    svg("rect", { class: "track", width: 100, height: 8, rx: 2 }),
    svg("rect", {
      class: "fill",
      width: Math.max(0, Math.min(100, left * 100)).toFixed(1),
      height: 8,
      rx: 2,
    }),
  );
}

/** A stacked bar: one segment per part (palette class by index), each with a `<title>`. */
export function stackedBar(
  parts: readonly { label: string; value: number }[],
  total: number,
): SVGElement {
  const root = svg("svg", {
    class: "stack",
    viewBox: "0 0 100 10",
    preserveAspectRatio: "none",
    role: "img",
  });
  let x = 0;
  parts.forEach((part, index) => {
    if (total <= 0 || part.value <= 0) return;
    const width = (part.value / total) * 100;
    root.append(
      svg(
        "rect",
        { class: `seg seg-${index % 6}`, x: x.toFixed(2), width: width.toFixed(2), height: 10 },
        svg("title", {}, part.label),
      ),
    );
    x += width;
  });
  return root;
}

/** Daily columns (7 days), each with a `<title>`. */
export function columns(
  days: readonly { label: string; value: number; title: string }[],
): SVGElement {
  const max = Math.max(...days.map((day) => day.value), 0);
  const width = 100 / Math.max(1, days.length);
  const root = svg("svg", {
    class: "columns",
    viewBox: "0 0 100 30",
    preserveAspectRatio: "none",
    role: "img",
  });
  days.forEach((day, index) => {
    const height = max > 0 ? (day.value / max) * 28 : 0;
    root.append(
      svg(
        "rect",
        {
          class: "col",
          x: (index * width + 1).toFixed(2),
          y: (30 - height).toFixed(2),
          width: (width - 2).toFixed(2),
          height: height.toFixed(2),
        },
        svg("title", {}, day.title),
      ),
    );
  });
  return root;
}
