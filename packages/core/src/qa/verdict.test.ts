import { describe, expect, it } from "vitest";
import { qaVerdictSchema } from "./verdict.js";

describe("qaVerdictSchema", () => {
  it("accepts the three verdicts", () => {
    expect(qaVerdictSchema.parse({ verdict: "pass", tasks: [], reason: "Done." }).verdict).toBe(
      "pass",
    );
    expect(
      qaVerdictSchema.parse({ verdict: "add_tasks", tasks: ["Add a test"], reason: "No test." })
        .tasks,
    ).toEqual(["Add a test"]);
    expect(
      qaVerdictSchema.parse({ verdict: "block", tasks: [], reason: "Tests were not run." }).verdict,
    ).toBe("block");
  });

  it("rejects add_tasks without tasks, unknown verdicts, extra keys and an empty reason", () => {
    const noTasks = qaVerdictSchema.safeParse({ verdict: "add_tasks", tasks: [], reason: "x" });
    expect(noTasks.success).toBe(false);
    expect(noTasks.error?.issues[0]?.path).toEqual(["tasks"]);
    expect(qaVerdictSchema.safeParse({ verdict: "ok", tasks: [], reason: "x" }).success).toBe(
      false,
    );
    expect(
      qaVerdictSchema.safeParse({ verdict: "pass", tasks: [], reason: "x", score: 3 }).success,
    ).toBe(false);
    expect(qaVerdictSchema.safeParse({ verdict: "pass", tasks: [], reason: " " }).success).toBe(
      false,
    );
    expect(qaVerdictSchema.safeParse({ verdict: "pass", reason: "x" }).success).toBe(false);
  });
});
