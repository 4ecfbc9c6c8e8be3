/** Negative, zero or positive as version a is below, equal to or above b ("1.10.0" > "1.9.2"). */
export function compareVersions(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
