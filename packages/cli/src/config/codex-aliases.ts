import { isPlainObject } from "./merge.js";

/**
 * One layer's Codex names folded into hedge's own keys: `sandbox_mode` into `sandbox.mode` and
 * `sandbox_workspace_write.network_access` into `sandbox.network` (the Codex name wins within a
 * layer, as it always did). Folding each layer before merging makes a later layer win whichever
 * name it uses, so a project's stricter `sandbox.mode` beats a user's `sandbox_mode`, and a
 * `-c sandbox.mode=...` beats both.
 */
export function foldCodexAliases(layer: Record<string, unknown>): Record<string, unknown> {
  const { sandbox_mode: mode, sandbox_workspace_write: workspaceWrite, ...rest } = layer;
  const codexTable = isPlainObject(workspaceWrite) ? workspaceWrite : undefined;
  const network = codexTable?.["network_access"];
  if (mode === undefined && network === undefined) return layer;
  const sandbox = isPlainObject(rest["sandbox"]) ? { ...rest["sandbox"] } : {};
  if (mode !== undefined) sandbox["mode"] = mode;
  if (network !== undefined) sandbox["network"] = network;
  const folded: Record<string, unknown> = { ...rest, sandbox };
  if (codexTable) {
    const { network_access: _folded, ...others } = codexTable;
    if (Object.keys(others).length > 0) folded["sandbox_workspace_write"] = others;
  }
  return folded;
}
