/**
 * The exact McNemar test for paired binary outcomes: a two-sided binomial test on the discordant
 * pairs, `b` (A passed, B failed) and `c` (the other way): p = min(1, 2·P(X ≤ min(b, c))) with
 * X ~ Bin(b + c, 1/2). b + c = 0 gives 1 (nothing tells the runs apart).
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Sum in log space: C(n, i) / 2^n underflows nothing at the sizes evals have, but stays exact.
  let tail = 0;
  let logChoose = 0;
  for (let i = 0; i <= k; i += 1) {
    if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logChoose - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}
