import type { WireFormat } from "@hedge/model-spec";

/** Receives the fields one translated request lost. */
export type DroppedLogger = (
  inbound: WireFormat,
  upstream: WireFormat,
  dropped: readonly string[],
) => void;

/**
 * Logs what a translation dropped, each kind once per process: clients repeat the same fields on
 * every request. Indexes are blanked (`messages[].content[] (tool_addition)`) so the set of kinds
 * stays small.
 */
export function droppedFieldLogger(log: ((line: string) => void) | undefined): DroppedLogger {
  const seen = new Set<string>();
  return (inbound, upstream, dropped) => {
    if (log === undefined) return;
    const fresh = new Set<string>();
    for (const field of dropped) {
      const kind = field.replace(/\[\d+\]/g, "[]");
      const key = `${inbound}>${upstream}:${kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.add(kind);
    }
    if (fresh.size > 0)
      log(`gateway: ${inbound} -> ${upstream} translation dropped ${[...fresh].join(", ")}`);
  };
}
