/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** A proportion with its Wilson score interval. */
export interface Rate {
  /** Successes. */
  x: number;
  n: number;
  /** x/n; null when n = 0. */
  p: number | null;
  low: number | null;
  high: number | null;
}

/**
 * The Wilson score interval (Wilson 1927) for x successes in n trials at 95%: unlike the normal
 * approximation it stays inside [0, 1] and is honest at small n and at 0 or n successes.
 */
export function wilson(x: number, n: number, z = Z95): Rate {
  if (n <= 0) return { x, n, p: null, low: null, high: null };
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { x, n, p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** `8/10 = 0.80 [0.49, 0.94]`, or `0/0 = n/a`. */
export function formatRate(rate: Rate, digits = 2): string {
  if (rate.p === null || rate.low === null || rate.high === null)
    return `${rate.x}/${rate.n} = n/a`;
  return `${rate.x}/${rate.n} = ${rate.p.toFixed(digits)} [${rate.low.toFixed(digits)}, ${rate.high.toFixed(digits)}]`;
}
