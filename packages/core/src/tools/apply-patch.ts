import { z } from "zod";
import { approvalDenied } from "./approval.js";
import { isApproved } from "./approval-schema.js";
import { commitPatch, planPatch } from "./patch-apply.js";
import { parsePatch } from "./patch-parser.js";
import { openReadScope } from "./read-guard.js";
import { defineTool, toolError, type ToolContext, type ToolResult } from "./tool.js";

const description = `Edit files with a patch. The patch language is a file-oriented diff:

*** Begin Patch
*** Add File: <path>          (every following line starts with +: the new file's contents)
*** Delete File: <path>
*** Update File: <path>
*** Move to: <new path>       (optional, right after Update File: rename the file)
@@ <a line of the file that comes before the change, e.g. a function header>   (or just @@)
 context line (starts with a space)
-removed line
+added line
*** End of File               (optional: the hunk ends at the end of the file)
*** End Patch

Show about 3 lines of context above and below each change; add an @@ line when that is not unique. Paths are relative to the working directory and must stay inside the workspace. A patch applies completely or not at all. In a sandboxed session, .git (and any git directory) and .hedge cannot be changed; only with --sandbox danger-full-access, which the user chooses, are they unprotected.`;

export const applyPatchParameters = z.strictObject({
  input: z.string().describe("The whole patch, from '*** Begin Patch' to '*** End Patch'."),
});

/** `apply_patch`: Codex's patch format, applied all-or-nothing inside the workspace. */
export const applyPatchTool = defineTool({
  name: "apply_patch",
  description,
  parameters: applyPatchParameters,
  execute: ({ input }, context) => runApplyPatch(input, context),
});

/**
 * Applies a patch with the context's sandbox mode and approval policy. Shared by `apply_patch`
 * and by `shell` calls that run `apply_patch` (Codex models do both).
 */
export async function runApplyPatch(patchText: string, context: ToolContext): Promise<ToolResult> {
  if (context.sandboxMode === "read-only") {
    return toolError(
      "sandbox_denied",
      "apply_patch is refused: the sandbox is read-only, so no file may be changed; describe the change instead",
    );
  }
  const parsed = parsePatch(patchText);
  if (!parsed.ok) return toolError("invalid_patch", `invalid patch: ${parsed.message}`);
  // A patch reads what it updates and can move it: denied paths are refused like for read_file.
  for (const path of parsed.operations.flatMap((operation) => [
    operation.path,
    ...(operation.type === "update" && operation.moveTo !== undefined ? [operation.moveTo] : []),
  ])) {
    const opened = await openReadScope(path, context.cwd, context.denyRead);
    if (!opened.ok) return opened.result;
  }
  const planned = await planPatch(parsed.operations, context);
  if (!planned.ok && planned.denied === true) {
    return toolError(
      "sandbox_denied",
      `apply_patch is refused: ${planned.message}. No file was changed.`,
    );
  }
  if (!planned.ok) {
    return toolError(
      "patch_failed",
      `${planned.message}\nNo file was changed; re-read the file and send a corrected patch.`,
    );
  }
  const { plan } = planned;
  if (context.approvalPolicy === "untrusted") {
    const reason = "approval policy untrusted: file changes need approval";
    const answer = await context.approve({ kind: "patch", changes: plan.changes, reason });
    if (!isApproved(answer)) {
      return approvalDenied(
        `applying the patch to ${plan.summary.map((line) => line.slice(2)).join(", ")}`,
        reason,
        answer,
      );
    }
  }
  try {
    await commitPatch(plan);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return toolError(
      "patch_failed",
      `writing the patch failed (${message}); the files were restored`,
    );
  }
  return {
    ok: true,
    output: ["Success. Updated the following files:", ...plan.summary].join("\n"),
    metadata: { kind: "patch", changes: plan.changes },
  };
}
