import type { ScriptStreamError } from "../script.js";
import type { SseFrame } from "../sse.js";

/** One reply rendered in a wire format: the JSON body and the SSE frames of the same reply. */
export interface Rendering {
  json: unknown;
  frames: SseFrame[];
  /** The provider's mid-stream error event(s), sent after `position` frames. */
  streamError: (spec: ScriptStreamError, position: number) => SseFrame[];
}
