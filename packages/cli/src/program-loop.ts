import { Option, type Command } from "commander";
import { collect, globals } from "./program-support.js";

/** `hedge loop …` and `hedge daemon …`: recurring agent runs and the daemon that runs them. */
export function registerLoops(program: Command): void {
  const loop = program
    .command("loop")
    .description("recurring, unattended runs of an agent or a command (run by hedge daemon)");
  // `-c daemon.store=…` picks the ledger for every loop command, as it does for the daemon.
  loop.hook("preAction", async (_loop: Command, action: Command) => {
    const { setLoopConfigOverrides } = await import("./commands/loop-ledger.js");
    setLoopConfigOverrides(globals(action).configOverrides);
  });
  loop
    .command("add")
    .description("add a loop: a schedule or trigger, an agent, guards, then -- PROMPT (or -- ARGV)")
    .argument("<name>", "the loop's name")
    .argument("[rest...]", "after --: the prompt, or the command and its arguments")
    .option("--cron <expr>", 'a 5-field cron pattern, e.g. "0 9 * * 1-5"')
    .option("--tz <zone>", "the cron pattern's timezone (IANA, default the system's)")
    .option("--every <duration>", "every 30s, 15m, 2h …")
    .option("--at <iso>", "once, at this date")
    .option("--watch <glob>", "run when files matching the glob (inside --cwd) change")
    .option("--debounce <duration>", "with --watch: quiet time before a run", "2s")
    .option("--on-commit [branch]", "run when the branch gets a new commit (default: current)")
    .option("--webhook", "run on an authenticated POST to the daemon (secret printed once)")
    .option("--agent <agent>", "hedge | codex | claude | gemini | command", "hedge")
    .option("--cwd <dir>", "where the run happens (default: here)")
    .option("--worktree", "run in a fresh git worktree, kept only if the run left changes")
    .option("--missed <policy>", "slots missed while down: once | skip | all", "once")
    .option("--missed-max-age <duration>", "with --missed once: older catch-ups are skipped", "24h")
    .option("--overlap <policy>", "a slot while the last run still runs: skip | queue", "skip")
    .option("--timeout <duration>", "wall-clock limit; the whole process group is killed", "30m")
    .option("--budget-usd <usd>", "spending cap passed to the agent")
    .option("--max-turns <n>", "turn cap passed to the agent")
    .option(
      "--via-gateway",
      "codex/claude call hedge's gateway with a per-run key, so their tokens and $ are recorded",
    )
    .option("--verify <command>", "a command that must also exit 0 for the run to succeed")
    .option(
      "--env <name>",
      "let this variable of the daemon's environment through, repeatable",
      collect,
      [],
    )
    .option("--expires <iso>", "pause the loop after this date")
    .option("--json", "print the loop as JSON")
    .action(
      async (name: string, rest: string[], options: Record<string, unknown>, command: Command) => {
        const { runLoopAdd } = await import("./commands/loop-add.js");
        const profile = command.optsWithGlobals<{ profile?: string }>().profile;
        await runLoopAdd(
          name,
          rest,
          { ...options, ...(profile ? { profile } : {}) },
          globals(command),
        );
      },
    );
  loop
    .command("list")
    .description("loops: state, schedule, agent, next slot, last run")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      const { runLoopList } = await import("./commands/loop-view.js");
      await runLoopList({ json: options.json === true });
    });
  loop
    .command("show")
    .description("one loop in full, with its recent runs")
    .argument("<name>", "loop name")
    .option("--json", "print as JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const { runLoopShow } = await import("./commands/loop-view.js");
      await runLoopShow(name, { json: options.json === true });
    });
  for (const [verb, description] of [
    ["pause", "stop scheduling a loop (a running run finishes)"],
    ["resume", "schedule a paused loop again, from now on (missed slots are not run)"],
    ["rm", "remove a loop (its runs stay in the ledger)"],
  ] as const) {
    loop
      .command(verb)
      .description(description)
      .argument("<name>", "loop name")
      .action(async (name: string) => {
        const { runLoopState } = await import("./commands/loop-add.js");
        await runLoopState(verb, name);
      });
  }
  loop
    .command("run")
    .description("run a loop now (needs the daemon)")
    .argument("<name>", "loop name")
    .option("--json", "print as JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const { runLoopRunNow } = await import("./commands/loop-add.js");
      await runLoopRunNow(name, { json: options.json === true });
    });
  loop
    .command("runs")
    .description("recorded runs, newest first: status, reason, exit, duration, tokens, $, diff")
    .argument("[name]", "one loop (default: all)")
    .option("--limit <n>", "how many", "20")
    .option("--json", "print as JSON")
    .action(async (name: string | undefined, options: { limit: string; json?: boolean }) => {
      const { runLoopRuns } = await import("./commands/loop-view.js");
      await runLoopRuns(name, { json: options.json === true, limit: options.limit });
    });
  loop
    .command("logs")
    .description("a run's output")
    .argument("<run>", "run id (from hedge loop runs)")
    .option("-f, --follow", "keep printing until the run ends")
    .action(async (runId: string, options: { follow?: boolean }) => {
      const { runLoopLogs } = await import("./commands/loop-logs.js");
      await runLoopLogs(runId, { follow: options.follow === true });
    });

  const daemon = program.command("daemon").description("the loops daemon: one per HEDGE_HOME");
  daemon
    .command("run")
    .description("run the daemon in the foreground (what the service runs)")
    .action(async (_options: unknown, command: Command) => {
      const { runDaemonForeground } = await import("./commands/daemon.js");
      await runDaemonForeground(globals(command));
    });
  daemon
    .command("start")
    .description("start the daemon in the background")
    .action(async (_options: unknown, command: Command) => {
      const { runDaemonStart } = await import("./commands/daemon.js");
      await runDaemonStart(globals(command));
    });
  daemon
    .command("stop")
    .description("stop the daemon; running runs are interrupted and recorded as such")
    .action(async () => {
      const { runDaemonStop } = await import("./commands/daemon.js");
      await runDaemonStop();
    });
  daemon
    .command("status")
    .description("whether the daemon runs: pid, uptime, running runs, loops, webhook URL")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      const { runDaemonStatus } = await import("./commands/daemon.js");
      await runDaemonStatus({ json: options.json === true });
    });
  daemon
    .command("install")
    .description("install a systemd user unit (Linux) or a LaunchAgent (macOS) for the daemon")
    .addOption(new Option("--no-start", "write the file only; do not enable or start it"))
    .action(async (options: { start: boolean }) => {
      const { runDaemonInstall } = await import("./commands/daemon-service.js");
      runDaemonInstall({ start: options.start });
    });
  daemon
    .command("uninstall")
    .description("stop and remove the service file written by install")
    .addOption(new Option("--no-stop", "remove the file only"))
    .action(async (options: { stop: boolean }) => {
      const { runDaemonUninstall } = await import("./commands/daemon-service.js");
      runDaemonUninstall({ stop: options.stop });
    });
}
