import type { CanonicalTool } from "@hedge/model-spec";
import type { ThreadItem } from "./items.js";

/** A tool call the model made, as the loop hands it to the tools. */
export interface ToolCallRequest {
  id: string;
  name: string;
  /** The arguments exactly as the model wrote them (JSON text, possibly malformed). */
  arguments: string;
}

/** What the model gets back, and whether it is an error. */
export interface ToolCallOutcome {
  content: string;
  isError: boolean;
}

/**
 * What the agent loop needs of the tools: their specs for the model, and a way to run one call
 * while reporting progress as thread items (started / updated / completed).
 */
export interface ToolHost {
  specs(): CanonicalTool[];
  run(
    call: ToolCallRequest,
    report: (phase: "started" | "updated" | "completed", item: ThreadItem) => void,
    nextItemId: () => string,
    signal: AbortSignal,
  ): Promise<ToolCallOutcome>;
}
