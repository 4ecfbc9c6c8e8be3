import { applyPatchTool } from "./apply-patch.js";
import { createGrepTool, type GrepToolOptions } from "./grep.js";
import { jsTool } from "./js.js";
import { listDirTool } from "./list-dir.js";
import { readFileTool } from "./read-file.js";
import { ToolRegistry } from "./registry.js";
import { shellTool } from "./shell.js";
import type { Tool } from "./tool.js";
import { updatePlanTool } from "./update-plan.js";

export interface DefaultToolsOptions {
  grep?: GrepToolOptions;
}

/** hedge's built-in tools: shell, apply_patch, read_file, list_dir, grep, update_plan. */
export function createDefaultTools(options: DefaultToolsOptions = {}): Tool[] {
  return [
    shellTool,
    applyPatchTool,
    readFileTool,
    listDirTool,
    createGrepTool(options.grep),
    updatePlanTool,
  ];
}

/** The tool sets an eval can compare and routing can choose: `js` replaces `shell` with `js`. */
export type Toolset = "default" | "js";

/** The built-in tools of a tool set. */
export function createToolsetRegistry(
  toolset: Toolset,
  options: DefaultToolsOptions = {},
): ToolRegistry {
  const tools = createDefaultTools(options);
  return new ToolRegistry(
    toolset === "js" ? [jsTool, ...tools.filter((tool) => tool !== shellTool)] : tools,
  );
}

/** A registry holding the built-in tools. */
export function createDefaultToolRegistry(options: DefaultToolsOptions = {}): ToolRegistry {
  return new ToolRegistry(createDefaultTools(options));
}

/** The orchestrator's tools: it reads and plans; it never writes or runs commands. */
export function createPlanningToolRegistry(options: DefaultToolsOptions = {}): ToolRegistry {
  return new ToolRegistry([
    readFileTool,
    listDirTool,
    createGrepTool(options.grep),
    updatePlanTool,
  ]);
}
