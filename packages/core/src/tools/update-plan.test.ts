import { describe, expect, it } from "vitest";
import { makeContext } from "./test-support.js";
import { updatePlanTool } from "./update-plan.js";

describe("update_plan", () => {
  it("accepts the plan and exposes it in metadata", async () => {
    const plan = [
      { step: "read the code", status: "completed" as const },
      { step: "fix the bug", status: "in_progress" as const },
      { step: "run the tests", status: "pending" as const },
    ];
    expect(
      await updatePlanTool.execute({ explanation: "found it", plan }, makeContext("/w")),
    ).toEqual({
      ok: true,
      output: "Plan updated",
      metadata: { kind: "plan", explanation: "found it", plan },
    });
  });

  it("refuses two steps in progress", async () => {
    const result = await updatePlanTool.execute(
      {
        plan: [
          { step: "a", status: "in_progress" },
          { step: "b", status: "in_progress" },
        ],
      },
      makeContext("/w"),
    );
    expect(result).toEqual({
      ok: false,
      error: {
        type: "invalid_arguments",
        message: "update_plan: plan: 2 steps are in_progress; at most one may be",
      },
    });
  });
});
