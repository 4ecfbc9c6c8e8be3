import { z } from "zod";
import { defineTool, toolError, type PlanMetadata, type ToolResult } from "./tool.js";

export const updatePlanParameters = z.strictObject({
  explanation: z.string().optional().describe("Why the plan changed, in a sentence."),
  plan: z
    .array(
      z.strictObject({
        step: z.string().min(1).describe("One short step."),
        status: z.enum(["pending", "in_progress", "completed"]),
      }),
    )
    .describe("The whole plan, every step with its status; at most one step in_progress."),
});

/** `update_plan`: the model's task list; the loop shows it as a `todo_list` item. */
export const updatePlanTool = defineTool({
  name: "update_plan",
  description:
    "Record your plan for the task as a list of steps and keep it current: send the whole list each time, mark the step you work on in_progress (at most one) and finished steps completed.",
  parameters: updatePlanParameters,
  execute(params): Promise<ToolResult> {
    const active = params.plan.filter((step) => step.status === "in_progress").length;
    if (active > 1) {
      return Promise.resolve(
        toolError(
          "invalid_arguments",
          `update_plan: plan: ${active} steps are in_progress; at most one may be`,
        ),
      );
    }
    const metadata: PlanMetadata = {
      kind: "plan",
      plan: params.plan.map((step) => ({ step: step.step, status: step.status })),
      ...(params.explanation === undefined ? {} : { explanation: params.explanation }),
    };
    return Promise.resolve({ ok: true, output: "Plan updated", metadata });
  },
});
