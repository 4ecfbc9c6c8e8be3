/**
 * The unbiased pass@k estimator (Chen et al. 2021) for one task with n samples, c of them
 * correct: 1 − C(n−c, k) / C(n, k). Only defined for n ≥ k.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (k > n) throw new RangeError(`pass@${k} needs at least ${k} samples, got ${n}`);
  if (n - c < k) return 1;
  let ratio = 1;
  for (let i = n - c + 1; i <= n; i += 1) ratio *= 1 - k / i;
  return 1 - ratio;
}
