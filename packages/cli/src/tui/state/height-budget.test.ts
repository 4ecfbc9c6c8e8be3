import { describe, expect, it } from "vitest";
import { budgetLiveArea, CAPS, type LiveDemand } from "./height-budget.js";

const greedy: LiveDemand = { composer: 30, overlay: 30, preview: 30, roles: 30, tail: 200 };

function total(budget: ReturnType<typeof budgetLiveArea>): number {
  return (
    budget.status + budget.composer + budget.overlay + budget.preview + budget.roles + budget.tail
  );
}

describe("budgetLiveArea", () => {
  it("keeps the live area below the terminal's height at every size (ink's full-redraw trap)", () => {
    for (let rows = 1; rows <= 60; rows += 1) {
      const budget = budgetLiveArea(rows, greedy);
      expect(total(budget)).toBeLessThanOrEqual(Math.max(0, rows - 1));
    }
  });

  it("uses all but one row when everything wants more", () => {
    for (let rows = 10; rows <= 60; rows += 1)
      expect(total(budgetLiveArea(rows, greedy))).toBe(rows - 1);
  });

  it("gives the status line and the composer their rows first", () => {
    const budget = budgetLiveArea(6, greedy);
    expect(budget.status).toBe(1);
    expect(budget.composer).toBe(4);
  });

  it("caps each block and gives the rest to the live tail", () => {
    const budget = budgetLiveArea(60, greedy);
    expect(budget.composer).toBe(CAPS.composer);
    expect(budget.overlay).toBe(CAPS.overlay);
    expect(budget.preview).toBe(CAPS.preview);
    expect(budget.roles).toBe(CAPS.roles);
    expect(budget.tail).toBe(59 - 1 - CAPS.composer - CAPS.overlay - CAPS.preview - CAPS.roles);
  });

  it("grants no more than a block wants", () => {
    const budget = budgetLiveArea(40, { composer: 4, overlay: 0, preview: 3, roles: 2, tail: 5 });
    expect(budget).toEqual({ status: 1, composer: 4, overlay: 0, preview: 3, roles: 2, tail: 5 });
  });

  it("folds the role panel to one row in a short terminal", () => {
    expect(budgetLiveArea(14, { ...greedy, overlay: 0, roles: 3 }).roles).toBe(1);
    expect(budgetLiveArea(30, { ...greedy, overlay: 0, roles: 3 }).roles).toBe(3);
  });
});
