/**
 * A secret shown as its conventional prefix and at most its last 4 characters (`sk-…abcd`);
 * short secrets show nothing of themselves.
 */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return "…";
  const dash = secret.indexOf("-");
  const prefix = dash > 0 && dash <= 3 ? secret.slice(0, dash + 1) : "";
  const tail = secret.length >= 20 ? secret.slice(-4) : secret.slice(-2);
  return `${prefix}…${tail}`;
}
