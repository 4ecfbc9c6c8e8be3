import { describe, expect, it } from "vitest";
import type { AgentEvent } from "@hedge/core";
import { layoutRolePanel } from "../layout/role-panel-layout.js";
import { linesText } from "../layout/styled-text.js";
import { command, delta, roleActivity, updated, usageUpdated } from "../test-utils/events.js";
import { applyRoleEvent, EMPTY_ROLES, roleRows, type RolesState } from "./role-activity.js";

const T0 = 1_000_000;

function run(events: readonly AgentEvent[]): RolesState {
  return events.reduce(applyRoleEvent, EMPTY_ROLES);
}

/** The panel's rows without the spinner column (it changes with the clock). */
function panel(state: RolesState, now: number, expanded?: string): string[] {
  const text = linesText(
    layoutRolePanel(roleRows(state), { width: 80, now, maxHeight: 12, expanded }),
  );
  return text.split("\n").map((row) => row.slice(2));
}

describe("role activity", () => {
  it("shows each role at work with its model, profile, elapsed time and tokens", () => {
    const state = run([
      { type: "turn.started" },
      roleActivity("orchestrator", "model", "openai/gpt-5-codex", T0, { profile: "work" }),
      usageUpdated("orchestrator", 1_000, 200),
      roleActivity("executor", "tool", "anthropic/claude-sonnet-4-5", T0 + 2_000, {
        profile: "work",
        action: "running pnpm test",
      }),
      roleActivity("qa", "checking", "openai/gpt-5-mini", T0 + 3_000, {
        action: "checking 3 changed files",
      }),
    ]);
    expect(panel(state, T0 + 14_000)).toEqual([
      "orchestrator: planning (gpt-5-codex · work · 14 s · 1.2k tok)",
      "executor: running pnpm test (claude-sonnet-4-5 · work · 12 s)",
      "qa: checking 3 changed files (gpt-5-mini · 11 s)",
    ]);
  });

  it("shows a role switch in the very next state", () => {
    let state = run([roleActivity("orchestrator", "model", "openai/gpt-5-codex", T0)]);
    expect(roleRows(state).map((row) => row.role)).toEqual(["orchestrator"]);
    state = applyRoleEvent(
      state,
      roleActivity("orchestrator", "idle", "openai/gpt-5-codex", T0 + 1),
    );
    state = applyRoleEvent(
      state,
      roleActivity("executor", "model", "anthropic/claude-sonnet-4-5", T0 + 1),
    );
    expect(roleRows(state).map((row) => row.role)).toEqual(["executor"]);
  });

  it("restarts the elapsed time when a role's phase changes, not when its profile is learnt", () => {
    const state = run([
      roleActivity("executor", "model", "anthropic/claude-sonnet-4-5", T0),
      roleActivity("executor", "model", "anthropic/claude-sonnet-4-5", T0 + 5_000, {
        profile: "work",
      }),
    ]);
    expect(roleRows(state)[0]?.startedAt).toBe(T0);
    expect(roleRows(state)[0]?.profile).toBe("work");
    const next = applyRoleEvent(
      state,
      roleActivity("executor", "tool", "anthropic/claude-sonnet-4-5", T0 + 6_000, {
        action: "running ls",
      }),
    );
    expect(roleRows(next)[0]?.startedAt).toBe(T0 + 6_000);
  });

  it("keeps the role's latest output for the expanded view (Ctrl+T)", () => {
    const lines = Array.from({ length: 12 }, (_, index) => `out ${index + 1}`).join("\n");
    const state = run([
      roleActivity("orchestrator", "model", "openai/gpt-5-codex", T0),
      delta("msg_1", "Planning the change.\n"),
      roleActivity("executor", "tool", "anthropic/claude-sonnet-4-5", T0, {
        action: "running make",
      }),
      updated(command("cmd_1", "make", lines)),
    ]);
    const rows = panel(state, T0, "executor");
    expect(rows[0]).toContain("orchestrator: planning");
    expect(rows[1]).toContain("executor: running make");
    // The expanded role's last lines, as many as the panel has room for (8 kept).
    expect(rows.slice(2)).toEqual(
      ["out 5", "out 6", "out 7", "out 8", "out 9", "out 10", "out 11", "out 12"].map(
        (line) => `│ ${line}`,
      ),
    );
  });

  it("clears the panel when the turn ends", () => {
    const state = run([
      roleActivity("executor", "model", "anthropic/claude-sonnet-4-5", T0),
      { type: "turn.interrupted", restored_ids: [] },
    ]);
    expect(roleRows(state)).toEqual([]);
  });

  it("folds the panel into one summary row when it has fewer rows than roles", () => {
    const state = run([
      roleActivity("orchestrator", "model", "openai/gpt-5-codex", T0),
      roleActivity("executor", "tool", "anthropic/claude-sonnet-4-5", T0, { action: "running ls" }),
    ]);
    const rows = layoutRolePanel(roleRows(state), { width: 80, now: T0, maxHeight: 1 });
    expect(linesText(rows).slice(2)).toBe("orchestrator planning, executor running ls");
  });
});
