import type { CanonicalEvent } from "./events.js";

/** Emitted first on a canonical stream: which route serves it. Never carries a secret. */
export interface RouteSelectedEvent {
  type: "route.selected";
  provider: string;
  model: string;
  upstreamModel: string;
  credential: string;
  profile: string | undefined;
  /** The profile (or route) the usage heartbeat moved this request away from, if it did. */
  switchedFrom?: string;
  /** Why it moved (the previous profile's window under `switch_below`, a 429, ...). */
  switchReason?: string;
}

/**
 * What a model call streams: `route.selected` first (which provider, model and profile serve
 * it), then canonical events (text, reasoning, tool calls, usage, finish or error).
 */
export type ModelEvent = CanonicalEvent | RouteSelectedEvent;
