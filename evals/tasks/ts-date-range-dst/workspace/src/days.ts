/** Every date (YYYY-MM-DD) from start to end inclusive, both given as YYYY-MM-DD. */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  const last = new Date(`${end}T00:00:00`).getTime();
  for (let t = new Date(`${start}T00:00:00`).getTime(); t <= last; t += 86_400_000) {
    const date = new Date(t);
    days.push(`${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`);
  }
  return days;
}
