import type { GatewayObserver, RequestRecord } from "../engine/observer.js";

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** One histogram series: counts per bucket (cumulative, as Prometheus wants), sum, count. */
export interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * Prometheus metrics of the gateway: requests, errors, latency histogram and tokens, per
 * provider. Hand-rolled (four metric families, fixed buckets): recording costs a map lookup.
 */
export class GatewayMetrics implements GatewayObserver {
  private readonly requests = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private readonly tokens = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly ttfb = new Map<string, Histogram>();
  /** Label strings per provider, built once: recording is a few map lookups, no string building. */
  private readonly series = new Map<string, ProviderSeries>();

  onRequest(record: RequestRecord): void {
    const provider = record.provider ?? "none";
    let series = this.series.get(provider);
    if (!series) {
      series = new ProviderSeries(provider);
      this.series.set(provider, series);
    }
    increment(this.requests, series.requestLabel(record.inboundWire, record.status));
    if (record.outcome !== "ok") increment(this.errors, series.errorLabel(record.outcome));
    observe(this.latency, series.label, record.latencyMs / 1000);
    if (record.ttfbMs !== undefined) observe(this.ttfb, series.label, record.ttfbMs / 1000);
    const usage = record.usage;
    if (usage) {
      increment(this.tokens, series.input, usage.input_tokens);
      increment(this.tokens, series.output, usage.output_tokens);
      increment(this.tokens, series.cachedInput, usage.cached_input_tokens);
    }
  }

  /** This process's numbers as plain data (sent between `--workers` processes). */
  snapshot(): MetricsSnapshot {
    return {
      requests: [...this.requests],
      errors: [...this.errors],
      tokens: [...this.tokens],
      latency: [...this.latency],
      ttfb: [...this.ttfb],
    };
  }

  /** The Prometheus text of this process's numbers. */
  render(): string {
    return renderSnapshots([this.snapshot()]);
  }
}

/** A `GatewayMetrics`' numbers as plain data: label string -> value or histogram. */
export interface MetricsSnapshot {
  requests: [string, number][];
  errors: [string, number][];
  tokens: [string, number][];
  latency: [string, Histogram][];
  ttfb: [string, Histogram][];
}

/**
 * The Prometheus text exposition (version 0.0.4) of several processes' numbers added up: one
 * `/metrics` for every worker of `hedge gateway serve --workers N`.
 */
export function renderSnapshots(snapshots: readonly MetricsSnapshot[]): string {
  const sum = (pick: (snapshot: MetricsSnapshot) => [string, number][]) => {
    const total = new Map<string, number>();
    for (const snapshot of snapshots)
      for (const [key, value] of pick(snapshot)) increment(total, key, value);
    return total;
  };
  const histograms = (pick: (snapshot: MetricsSnapshot) => [string, Histogram][]) => {
    const total = new Map<string, Histogram>();
    for (const snapshot of snapshots) {
      for (const [key, value] of pick(snapshot)) {
        const into = total.get(key);
        if (!into)
          total.set(key, { counts: [...value.counts], sum: value.sum, count: value.count });
        else {
          value.counts.forEach((count, index) => {
            into.counts[index] = (into.counts[index] ?? 0) + count;
          });
          into.sum += value.sum;
          into.count += value.count;
        }
      }
    }
    return total;
  };
  const merged = {
    requests: sum((snapshot) => snapshot.requests),
    errors: sum((snapshot) => snapshot.errors),
    tokens: sum((snapshot) => snapshot.tokens),
    latency: histograms((snapshot) => snapshot.latency),
    ttfb: histograms((snapshot) => snapshot.ttfb),
  };
  const lines: string[] = [];
  counter(
    lines,
    "hedge_gateway_requests_total",
    "Requests served, by provider, inbound wire and status.",
    merged.requests,
  );
  counter(
    lines,
    "hedge_gateway_errors_total",
    "Requests that did not end well, by provider and outcome.",
    merged.errors,
  );
  counter(
    lines,
    "hedge_gateway_tokens_total",
    "Tokens reported by providers, by kind.",
    merged.tokens,
  );
  histogram(
    lines,
    "hedge_gateway_request_duration_seconds",
    "Whole request duration.",
    merged.latency,
  );
  histogram(
    lines,
    "hedge_gateway_time_to_first_byte_seconds",
    "Time to the upstream's first byte.",
    merged.ttfb,
  );
  return `${lines.join("\n")}\n`;
}

/** One provider's label strings. */
class ProviderSeries {
  readonly label: string;
  readonly input: string;
  readonly output: string;
  readonly cachedInput: string;
  private readonly requests = new Map<string, Map<number, string>>();
  private readonly errors = new Map<string, string>();

  constructor(private readonly provider: string) {
    this.label = formatLabels({ provider });
    this.input = formatLabels({ provider, kind: "input" });
    this.output = formatLabels({ provider, kind: "output" });
    this.cachedInput = formatLabels({ provider, kind: "cached_input" });
  }

  requestLabel(inbound: string, status: number): string {
    let byStatus = this.requests.get(inbound);
    if (!byStatus) {
      byStatus = new Map();
      this.requests.set(inbound, byStatus);
    }
    let text = byStatus.get(status);
    if (text === undefined) {
      text = formatLabels({ provider: this.provider, inbound, status: String(status) });
      byStatus.set(status, text);
    }
    return text;
  }

  errorLabel(outcome: string): string {
    let text = this.errors.get(outcome);
    if (text === undefined) {
      text = formatLabels({ provider: this.provider, outcome });
      this.errors.set(outcome, text);
    }
    return text;
  }
}

function formatLabels(values: Record<string, string>): string {
  return Object.entries(values)
    .map(
      ([key, value]) =>
        `${key}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`,
    )
    .join(",");
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function observe(map: Map<string, Histogram>, key: string, seconds: number): void {
  let histogram = map.get(key);
  if (!histogram) {
    histogram = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    map.set(key, histogram);
  }
  for (let index = 0; index < BUCKETS.length; index += 1) {
    if (seconds <= (BUCKETS[index] as number))
      histogram.counts[index] = (histogram.counts[index] ?? 0) + 1;
  }
  histogram.sum += seconds;
  histogram.count += 1;
}

function counter(lines: string[], name: string, help: string, map: Map<string, number>): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
  for (const [key, value] of map) lines.push(`${name}{${key}} ${value}`);
}

function histogram(lines: string[], name: string, help: string, map: Map<string, Histogram>): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  for (const [key, value] of map) {
    BUCKETS.forEach((bound, index) =>
      lines.push(`${name}_bucket{${key},le="${bound}"} ${value.counts[index] ?? 0}`),
    );
    lines.push(`${name}_bucket{${key},le="+Inf"} ${value.count}`);
    lines.push(`${name}_sum{${key}} ${value.sum}`, `${name}_count{${key}} ${value.count}`);
  }
}
