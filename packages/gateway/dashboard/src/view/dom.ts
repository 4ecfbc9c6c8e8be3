// DOM helpers. Data reaches the page only through textContent and attribute values (never
// innerHTML), so a provider's error text or a profile name cannot become markup.

type Child = Node | string | null | undefined | false;

/** An element with attributes and children (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) node.setAttribute(name, value);
  append(node, children);
  return node;
}

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element with attributes and children. */
export function svg(
  tag: string,
  attributes: Record<string, string | number | undefined> = {},
  ...children: Child[]
): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) node.setAttribute(name, String(value));
  append(node, children);
  return node;
}

function append(node: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** Replaces an element's children. */
export function fill(node: Element, ...children: Child[]): void {
  node.replaceChildren();
  append(node, children);
}

/** A keyed row: its element and how to bring it up to date with a newer row. */
export interface RowView<T> {
  node: Element;
  update(row: T): void;
}

/**
 * Keeps `parent`'s children in step with `rows`, keyed: a new key gets a new element, a row
 * whose object changed is updated in place (focus and selection survive), a gone key is
 * removed, and elements move only when out of order.
 */
export class KeyedList<T> {
  private readonly views = new Map<string, { row: T; view: RowView<T> }>();

  constructor(
    private readonly parent: Element,
    private readonly keyOf: (row: T) => string,
    private readonly create: (row: T) => RowView<T>,
  ) {}

  sync(rows: readonly T[]): void {
    const wanted = new Set(rows.map(this.keyOf));
    for (const [key, entry] of this.views) {
      if (wanted.has(key)) continue;
      entry.view.node.remove();
      this.views.delete(key);
    }
    let cursor = this.parent.firstElementChild;
    for (const row of rows) {
      const key = this.keyOf(row);
      let entry = this.views.get(key);
      if (!entry) {
        entry = { row, view: this.create(row) };
        this.views.set(key, entry);
      } else if (entry.row !== row) {
        entry.row = row;
        entry.view.update(row);
      }
      const node = entry.view.node;
      if (node === cursor) cursor = cursor.nextElementSibling;
      else this.parent.insertBefore(node, cursor);
    }
  }
}

/** A `<time>` that the page's one clock keeps counting down to `until`. */
export function countdown(until: number | undefined): HTMLTimeElement | null {
  if (until === undefined) return null;
  const node = el("time", { datetime: new Date(until).toISOString(), "data-until": String(until) });
  node.textContent = formatWait(until - Date.now());
  return node;
}

/** "4m05s", "1h02m", "now". */
export function formatWait(ms: number): string {
  if (ms <= 0) return "now";
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.floor(hours / 24)}d`;
}

/** Updates every countdown on the page (called once a second); `skewMs` = server - page clock. */
export function tickCountdowns(root: ParentNode, skewMs: number): void {
  const now = Date.now() + skewMs;
  for (const node of root.querySelectorAll<HTMLElement>("time[data-until]")) {
    const text = formatWait(Number(node.dataset["until"]) - now);
    if (node.textContent !== text) node.textContent = text;
  }
}

/** "12:04:10" in the page's time zone. */
export function clockTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false });
}

/** "$1.23", "$0.0042". */
export function dollars(usd: number): string {
  return usd >= 1 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}

/** "12.3k", "4.5M". */
export function tokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(1)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}
