import { Command, Option } from "commander";
import { HEDGE_VERSION } from "./version.js";
import { registerExec } from "./program-exec.js";
import { registerAsk, registerInteractive } from "./program-interactive.js";
import { registerMcp } from "./program-mcp.js";
import { registerTrust } from "./program-trust.js";
import { registerLoops } from "./program-loop.js";
import { registerEval } from "./program-eval.js";
import { allCommands, collect, formatCommanderError, globals } from "./program-support.js";

/**
 * The one command tree. Commands register here with their flags and load their implementation
 * only when invoked, so `hedge --help` stays fast.
 */
export function buildProgram(): Command {
  const program = new Command("hedge")
    .description(
      "A coding agent CLI with model routing built in. Without a command: the interactive session (hedge [PROMPT]).",
    )
    .usage("[options] [PROMPT] | <command> [args]")
    .version(`hedge ${HEDGE_VERSION}`, "-V, --version", "print the version")
    .addOption(
      new Option("-c, --config <key=value>", "override a config value (TOML syntax), repeatable")
        .argParser(collect)
        .default([]),
    )
    .addOption(
      new Option("--profile <name>", "pin a profile for this command (default $HEDGE_PROFILE)"),
    )
    .showSuggestionAfterError(true)
    .configureOutput({
      // One line per error with the suggestion folded in and the next step named.
      outputError: (text, write) => write(formatCommanderError(text)),
    })
    .exitOverride()
    .hook("preAction", (_program, action) => {
      // The pin reaches every engine this process builds (they read HEDGE_PROFILE).
      const { profile } = action.optsWithGlobals<{ profile?: string }>();
      if (profile) process.env["HEDGE_PROFILE"] = profile;
    });

  program
    .command("doctor")
    .description("check this machine and hedge's setup (makes no hosted network call)")
    .option("--json", "print the checks as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { runDoctor } = await import("./commands/doctor.js");
      await runDoctor(globals(command), { json: options.json === true });
    });

  const config = program.command("config").description("inspect the resolved configuration");
  config
    .command("show")
    .description("print the resolved config (secrets redacted)")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { runConfigShow } = await import("./commands/config.js");
      runConfigShow(globals(command), { json: options.json === true });
    });
  config
    .command("path")
    .description("print where config is read from")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      const { runConfigPath } = await import("./commands/config.js");
      runConfigPath({ json: options.json === true });
    });

  const gateway = program.command("gateway").description("run and manage the model gateway");
  gateway
    .command("serve")
    .description("serve the OpenAI and Anthropic APIs over HTTP, routed by hedge")
    .option("--host <host>", "address to bind (default from [gateway], 127.0.0.1)")
    .option("--port <port>", "port to bind (default from [gateway], 4141; 0 picks a free one)")
    .option(
      "--workers <n>",
      'processes serving the port, sharing state through the store ("auto": one per core; default from [gateway], auto; 1: one process)',
    )
    .action(
      async (options: { host?: string; port?: string; workers?: string }, command: Command) => {
        const { runGatewayServe } = await import("./commands/gateway-serve.js");
        await runGatewayServe(globals(command), options);
      },
    );
  gateway
    .command("status")
    .description("breakers, cooldowns and marks per route (cause, end) and recent errors")
    .option("--limit <n>", "recent requests to scan for errors", "200")
    .option("--gateway <url>", "read a remote hedge gateway's state (key from $HEDGE_GATEWAY_KEY)")
    .option("--json", "print as JSON")
    .action(
      async (options: { json?: boolean; limit: string; gateway?: string }, command: Command) => {
        const { runGatewayStatus } = await import("./commands/gateway-status.js");
        await runGatewayStatus(globals(command), {
          json: options.json === true,
          limit: Number(options.limit) || 200,
          ...(options.gateway ? { gateway: options.gateway } : {}),
        });
      },
    );
  gateway
    .command("reset")
    .description("clear the breakers, cooldowns and marks of a route (or provider), or --all")
    .argument("[route]", "a route (provider:credential) or a provider, as gateway status shows")
    .option("--all", "every route")
    .option("--json", "print as JSON")
    .action(
      async (
        route: string | undefined,
        options: { all?: boolean; json?: boolean },
        command: Command,
      ) => {
        const { runGatewayReset } = await import("./commands/gateway-reset.js");
        await runGatewayReset(globals(command), route, {
          all: options.all === true,
          json: options.json === true,
        });
      },
    );
  const key = gateway.command("key").description("gateway keys clients authenticate with");
  key
    .command("create")
    .description("create a key (printed once; stored hashed)")
    .option("--name <name>", "a name to tell keys apart")
    .option(
      "--scope <scope>",
      "limit the key: models, dashboard:read, dashboard:admin (repeatable; default all)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--json", "print as JSON")
    .action(
      async (options: { name?: string; json?: boolean; scope?: string[] }, command: Command) => {
        const { runKeyCreate } = await import("./commands/gateway-key.js");
        await runKeyCreate(globals(command), {
          ...(options.name ? { name: options.name } : {}),
          json: options.json === true,
          ...(options.scope ? { scopes: options.scope } : {}),
        });
      },
    );
  key
    .command("list")
    .description("list keys (never the keys themselves)")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { runKeyList } = await import("./commands/gateway-key.js");
      await runKeyList(globals(command), { json: options.json === true });
    });
  key
    .command("revoke")
    .description("revoke a key by id, name or prefix")
    .argument("<key>", "id, name or prefix")
    .option("--json", "print as JSON")
    .action(async (reference: string, options: { json?: boolean }, command: Command) => {
      const { runKeyRevoke } = await import("./commands/gateway-key.js");
      await runKeyRevoke(globals(command), reference, { json: options.json === true });
    });

  program
    .command("dashboard")
    .description("open the gateway's live dashboard (prints its URL when no browser opens)")
    .option("--url <url>", "the gateway (default: http://[gateway] host:port)")
    .option("--new-key", "create a dashboard:read key and print it once, to paste into the page")
    .option("--admin", "with --new-key: a dashboard:admin key (may reset routes)")
    .option("--no-open", "print the URL only")
    .action(
      async (
        options: { url?: string; newKey?: boolean; admin?: boolean; open: boolean },
        command: Command,
      ) => {
        const { runDashboard } = await import("./commands/dashboard.js");
        await runDashboard(globals(command), {
          ...(options.url ? { url: options.url } : {}),
          newKey: options.newKey === true,
          admin: options.admin === true,
          open: options.open,
        });
      },
    );

  const route = program.command("route").description("inspect routing decisions");
  route
    .command("explain")
    .description("show candidates, exclusions and the order routes would be tried (calls nothing)")
    .argument("<model>", "provider/model or alias")
    .option("--role <role>", "the role the request is for (orchestrator, executor, qa)")
    .option("--session <id>", "a session id, to see stickiness")
    .option("--gateway <url>", "ask a remote hedge gateway (key from $HEDGE_GATEWAY_KEY)")
    .option("--prompt <text>", "a task: the eval link ([routing] evals) may pick its executor")
    .option("--json", "print as JSON")
    .action(
      async (
        model: string,
        options: {
          role?: string;
          session?: string;
          json?: boolean;
          gateway?: string;
          prompt?: string;
        },
        command: Command,
      ) => {
        const { runRouteExplain } = await import("./commands/route-explain.js");
        await runRouteExplain(globals(command), model, {
          ...(options.role ? { role: options.role } : {}),
          ...(options.session ? { session: options.session } : {}),
          ...(options.gateway ? { gateway: options.gateway } : {}),
          ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
          json: options.json === true,
        });
      },
    );

  registerInteractive(program);
  registerExec(program);
  registerAsk(program);
  registerTrust(program);
  registerLoops(program);
  registerMcp(program);
  registerEval(program);

  const auth = program
    .command("auth")
    .description("profiles: named logins (keys in the OS keychain, vendor CLI homes, gateways)");
  auth
    .command("login")
    .description(
      "create a profile: a provider key (stdin or a hidden prompt), a vendor CLI login, or a gateway",
    )
    .requiredOption(
      "--provider <provider>",
      "provider: a preset (anthropic, openai, ...), codex, claude-code or gateway",
    )
    .option("--profile <name>", "the profile's name (default: the provider's)")
    .option("--region <region>", "the region this key's traffic stays in (narrows policy)")
    .option("--label <label>", "a label, repeatable", collect, [])
    .option("--home <dir>", "cli-login: adopt this existing vendor CLI home instead of logging in")
    .option("--url <url>", "gateway: the remote gateway's base URL")
    .option("--force", "replace a profile of the same name")
    .option("--verify", "make one cheap call (GET /models) with the key before saving")
    .action(
      async (
        options: {
          provider: string;
          region?: string;
          label: string[];
          home?: string;
          url?: string;
          force?: boolean;
          verify?: boolean;
        },
        command: Command,
      ) => {
        const { runAuthLogin } = await import("./commands/auth-login.js");
        const profile = command.optsWithGlobals<{ profile?: string }>().profile;
        await runAuthLogin(globals(command), {
          provider: options.provider,
          ...(profile ? { profile } : {}),
          ...(options.region ? { region: options.region } : {}),
          labels: options.label,
          ...(options.home === undefined ? {} : { home: options.home }),
          ...(options.url === undefined ? {} : { url: options.url }),
          force: options.force === true,
          verify: options.verify === true,
        });
      },
    );
  auth
    .command("list")
    .description("list profiles: name, provider, kind, store, active, region, labels")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      const { runAuthList } = await import("./commands/auth-list.js");
      runAuthList({ json: options.json === true });
    });
  auth
    .command("switch")
    .description("make a profile the active one of its provider's pool")
    .argument("<name>", "profile name")
    .action(async (name: string) => {
      const { runAuthSwitch } = await import("./commands/auth-manage.js");
      await runAuthSwitch(name);
    });
  auth
    .command("status")
    .description("profiles with their masked key (last 4 characters at most) or vendor CLI home")
    .argument("[name]", "one profile (default: all)")
    .option("--json", "print as JSON")
    .action(async (name: string | undefined, options: { json?: boolean }) => {
      const { runAuthStatus } = await import("./commands/auth-list.js");
      await runAuthStatus(name, { json: options.json === true });
    });
  auth
    .command("logout")
    .description("remove a profile and its secret (asks on a terminal)")
    .argument("<name>", "profile name")
    .option("-y, --yes", "do not ask (needed when stdin is not a terminal)")
    .action(async (name: string, options: { yes?: boolean }, command: Command) => {
      const { runAuthLogout } = await import("./commands/auth-manage.js");
      await runAuthLogout(globals(command), name, { yes: options.yes === true });
    });
  auth
    .command("import")
    .description("create profiles from provider key variables in the environment")
    .requiredOption(
      "--from-env",
      "read OPENAI_API_KEY, ANTHROPIC_API_KEY, DEEPSEEK_API_KEY, DASHSCOPE_API_KEY, ZHIPUAI_API_KEY, OPENROUTER_API_KEY",
    )
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }, command: Command) => {
      const { runAuthImport } = await import("./commands/auth-import.js");
      await runAuthImport(globals(command), { json: options.json === true });
    });
  auth
    .command("exec")
    .description("run a command with exactly one profile's credentials in its environment")
    .argument("<name>", "profile name")
    .argument("<command...>", "the command and its arguments, after --")
    .action(async (name: string, command: string[], _options: unknown, self: Command) => {
      const { runAuthExec } = await import("./commands/auth-exec.js");
      await runAuthExec(globals(self), name, command);
    });

  program
    .command("stats")
    .description("recorded model calls: tokens, cost, latency, QA verdicts, grouped")
    .option("--since <when>", "a duration (7d, 24h, 30m) or a date", "7d")
    .option("--by <field>", "role | model | profile | provider", "role")
    .option("--gateway <url>", "read a remote hedge gateway's state (key from $HEDGE_GATEWAY_KEY)")
    .option("--json", "print as JSON")
    .action(
      async (
        options: { since: string; by: string; json?: boolean; gateway?: string },
        command: Command,
      ) => {
        const { runStats } = await import("./commands/stats.js");
        await runStats(globals(command), {
          since: options.since,
          by: options.by,
          json: options.json === true,
          ...(options.gateway ? { gateway: options.gateway } : {}),
        });
      },
    );

  program
    .command("qa")
    .description("Stop hook for Claude Code and Codex: QA-check the turn, block if unfinished")
    .argument("[payload]", "the hook payload as JSON (Codex notify passes it here); default stdin")
    .option("-m, --model <model>", "the QA model (default: [roles] qa)")
    .option("--gateway <url>", "use a remote gateway instead of the embedded engine")
    .option(
      "--diff-budget <tokens>",
      "tokens of diff the QA model sees (default qa.diff_budget_tokens)",
    )
    .action(
      async (
        payload: string | undefined,
        options: { model?: string; gateway?: string; diffBudget?: string },
        command: Command,
      ) => {
        const { runQaHook } = await import("./commands/qa.js");
        await runQaHook(globals(command), payload, {
          ...(options.model ? { model: options.model } : {}),
          ...(options.gateway ? { gateway: options.gateway } : {}),
          ...(options.diffBudget ? { diffBudget: options.diffBudget } : {}),
        });
      },
    );

  program
    .command("usage")
    .description("rate-limit headroom per profile: windows, resets, cooldowns, last switch")
    .option("--watch", "redraw until interrupted")
    .option("--interval <seconds>", "seconds between redraws with --watch", "2")
    .option("--gateway <url>", "read a remote hedge gateway's state (key from $HEDGE_GATEWAY_KEY)")
    .option("--json", "print as JSON")
    .action(
      async (
        options: { watch?: boolean; interval: string; json?: boolean; gateway?: string },
        command: Command,
      ) => {
        const { runUsage } = await import("./commands/usage.js");
        await runUsage(globals(command), {
          json: options.json === true,
          watch: options.watch === true,
          intervalSeconds: Number(options.interval) || 2,
          ...(options.gateway ? { gateway: options.gateway } : {}),
        });
      },
    );
  program
    .command("heartbeat")
    .description(
      "usage heartbeat in the foreground: expire stale snapshots, clear cooldowns, log switches",
    )
    .option("--interval <seconds>", "seconds between ticks", "5")
    .option("--once", "run one tick and exit")
    .action(async (options: { interval: string; once?: boolean }, command: Command) => {
      const { runHeartbeat } = await import("./commands/heartbeat.js");
      await runHeartbeat(globals(command), {
        intervalSeconds: Number(options.interval) || 5,
        once: options.once === true,
      });
    });

  for (const command of allCommands(program)) {
    command.exitOverride().showSuggestionAfterError(true);
    command.configureOutput({ outputError: (text, write) => write(formatCommanderError(text)) });
  }
  return program;
}
