import { HedgeError } from "@hedge/model-spec";

/** A `required` server did not start: the turn must not begin. */
export class McpRequiredServerError extends HedgeError {
  override name = "McpRequiredServerError";
  constructor(server: string, reason: string, logPath: string) {
    super("mcp_required_server_failed", `mcp server "${server}" failed to start: ${reason}`, {
      hint: `it is required in [mcp_servers.${server}]; see ${logPath}, try \`hedge mcp test ${server}\`, or set required = false`,
    });
  }
}
