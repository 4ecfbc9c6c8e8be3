import type { Command } from "commander";
import { collect, globals } from "./program-support.js";

/** `hedge mcp list|add|remove|test|cost`: MCP servers, and what their tools cost a model. */
export function registerMcp(program: Command): void {
  const mcp = program
    .command("mcp")
    .description("MCP servers: list, add, remove, test, and what their tools cost the context");
  mcp
    .command("list")
    .description(
      "the configured MCP servers with their last probe: state, tools, tokens (nothing is started)",
    )
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { runMcpList } = await import("./commands/mcp-list.js");
      await runMcpList(globals(command), { json: options.json === true });
    });
  mcp
    .command("add")
    .description(
      "add [mcp_servers.NAME] to $HEDGE_HOME/config.toml: add NAME -- COMMAND [ARGS...] or add NAME --url URL",
    )
    .argument("<name>", "the server's name (its tools become mcp__NAME__tool)")
    .argument("[command...]", "the stdio server's command and arguments, after --")
    .option("--url <url>", "a streamable HTTP server")
    .option("--env <key=value>", "a literal variable for the server, repeatable", collect, [])
    .option(
      "--env-var <name>",
      "pass this variable from hedge's environment, repeatable",
      collect,
      [],
    )
    .option("--cwd <dir>", "the server's working directory")
    .option("--required", "refuse to start a session when this server fails")
    .option("--startup-timeout <seconds>", "startup_timeout_sec (default 30)")
    .option("--tool-timeout <seconds>", "tool_timeout_sec (default 60)")
    .option("--bearer-token-env-var <name>", "HTTP: the variable holding the bearer token")
    .option("--header <key=value>", "HTTP: a header, repeatable", collect, [])
    .option("--json", "print as JSON")
    .action(
      async (
        name: string,
        commandLine: string[],
        options: {
          url?: string;
          env: string[];
          envVar: string[];
          cwd?: string;
          required?: boolean;
          startupTimeout?: string;
          toolTimeout?: string;
          bearerTokenEnvVar?: string;
          header: string[];
          json?: boolean;
        },
      ) => {
        const { runMcpAdd } = await import("./commands/mcp.js");
        runMcpAdd(name, commandLine, { ...options, json: options.json === true });
      },
    );
  mcp
    .command("remove")
    .description("remove [mcp_servers.NAME] from $HEDGE_HOME/config.toml")
    .argument("<name>")
    .option("--json", "print as JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const { runMcpRemove } = await import("./commands/mcp.js");
      runMcpRemove(name, { json: options.json === true });
    });
  mcp
    .command("test")
    .description("start a server, list its tools (every page), optionally call one")
    .argument("<name>")
    .option("--call <tool>", "call this tool (its raw name)")
    .option("--args <json>", "the call's arguments, a JSON object")
    .option("--json", "print as JSON")
    .action(
      async (
        name: string,
        options: { call?: string; args?: string; json?: boolean },
        command: Command,
      ) => {
        const { runMcpTest } = await import("./commands/mcp.js");
        await runMcpTest(globals(command), name, {
          json: options.json === true,
          ...(options.call === undefined ? {} : { call: options.call }),
          ...(options.args === undefined ? {} : { args: options.args }),
        });
      },
    );
  mcp
    .command("cost")
    .description(
      "tokens of each server's tool definitions in the model's wire format (the provider's count where it has one, else an estimate)",
    )
    .option("--model <model>", "the model to cost for (default: the executor's)")
    .option("--server <name>", "only this server")
    .option("--cached", "use each server's last probe (hedge mcp test/cost, a session): start none")
    .option("--json", "print as JSON")
    .action(
      async (
        options: { model?: string; server?: string; json?: boolean; cached?: boolean },
        command: Command,
      ) => {
        const { runMcpCost } = await import("./commands/mcp.js");
        await runMcpCost(globals(command), {
          json: options.json === true,
          cached: options.cached === true,
          ...(options.model === undefined ? {} : { model: options.model }),
          ...(options.server === undefined ? {} : { server: options.server }),
        });
      },
    );
}
