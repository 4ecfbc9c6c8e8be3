/** A URL slug: lower case ASCII letters and digits, words joined by single dashes. */
export function slugify(text: string): string {
  throw new Error("not implemented");
}
