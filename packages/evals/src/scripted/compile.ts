import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { listFiles } from "../tasks/task-set-hash.js";
import type { EvalTask } from "../tasks/task-schema.js";
import { scriptedTaskSchema, type Action } from "./actions-schema.js";

/** A tool call as the scripted upstream sends it. */
export interface ScriptedCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** One model reply: tool calls, or a final text. */
export type ScriptedStep = { toolCalls: ScriptedCall[] } | { text: string };

/** A task's replies for the first try and after the feedback, in the chosen tool set. */
export interface CompiledScript {
  attempt: ScriptedStep[];
  afterFeedback: ScriptedStep[];
}

/**
 * Compiles a task's `scripted.json` for a tool set. `default`: each action is one call
 * (read_file, apply_patch, shell). `js`: the read/write/run actions of a step become one `js`
 * call doing them all, so the difference in tool calls between the sets shows in CI (it measures
 * the mechanism, not a model). Writes become apply_patch inputs computed against the files as
 * the earlier steps left them.
 */
export function compileScript(task: EvalTask, toolset: "default" | "js"): CompiledScript {
  if (!task.scriptedFile) throw new Error(`${task.id}: no scripted.json`);
  const parsed = scriptedTaskSchema.parse(JSON.parse(readFileSync(task.scriptedFile, "utf8")));
  const files = new Map<string, string>();
  for (const file of listFiles(task.workspaceDir))
    files.set(relative(task.workspaceDir, file), readFileSync(file, "utf8"));
  const compileSteps = (steps: Action[][]): ScriptedStep[] =>
    steps.map((actions) =>
      toolset === "js" ? jsStep(actions, files) : defaultStep(actions, files),
    );
  return {
    attempt: compileSteps(parsed.attempt),
    afterFeedback: compileSteps(parsed.after_feedback),
  };
}

function defaultStep(actions: Action[], files: Map<string, string>): ScriptedStep {
  const say = actions.find((action): action is { say: string } => "say" in action);
  if (say) return { text: say.say };
  return {
    toolCalls: actions.map((action): ScriptedCall => {
      if ("read" in action) return { name: "read_file", arguments: { path: action.read } };
      if ("run" in action) return { name: "shell", arguments: { command: action.run } };
      if ("patch" in action) return { name: "apply_patch", arguments: { input: action.patch } };
      if ("write" in action)
        return {
          name: "apply_patch",
          arguments: { input: writePatch(files, action.write, action.content) },
        };
      throw new Error("unreachable");
    }),
  };
}

function jsStep(actions: Action[], files: Map<string, string>): ScriptedStep {
  const say = actions.find((action): action is { say: string } => "say" in action);
  if (say) return { text: say.say };
  const lines: string[] = ["const results = [];"];
  for (const action of actions) {
    if ("read" in action) lines.push(`results.push(await read(${JSON.stringify(action.read)}));`);
    else if ("run" in action) lines.push(`results.push(await run(${JSON.stringify(action.run)}));`);
    else if ("patch" in action)
      lines.push(`results.push(await applyPatch(${JSON.stringify(action.patch)}));`);
    else if ("write" in action) {
      files.set(action.write, action.content);
      lines.push(
        `await write(${JSON.stringify(action.write)}, ${JSON.stringify(action.content)});`,
      );
    }
  }
  lines.push("return results;");
  return { toolCalls: [{ name: "js", arguments: { code: lines.join("\n") } }] };
}

/** An apply_patch input that replaces the whole file (or adds it), and the new state. */
export function writePatch(files: Map<string, string>, path: string, content: string): string {
  const before = files.get(path);
  files.set(path, content);
  const added = toLines(content).map((line) => `+${line}`);
  if (before === undefined)
    return ["*** Begin Patch", `*** Add File: ${path}`, ...added, "*** End Patch"].join("\n");
  const removed = toLines(before).map((line) => `-${line}`);
  return [
    "*** Begin Patch",
    `*** Update File: ${path}`,
    "@@",
    ...removed,
    ...added,
    "*** End Patch",
  ].join("\n");
}

function toLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
