import { parseArgs } from "node:util";
import { loadScriptFile, ScriptValidationError } from "../script.js";
import { startScriptedUpstream } from "../server.js";

const USAGE = "usage: pnpm mock-upstream --script FILE [--port N] [--host ADDRESS]";

function usageError(message: string): never {
  console.error(`mock-upstream: ${message} (${USAGE})`);
  process.exit(2);
}

function parseCommandLine(): { script: string; port: number; host: string } {
  let values: {
    script?: string | undefined;
    port?: string | undefined;
    host?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      options: {
        script: { type: "string", short: "s" },
        port: { type: "string", short: "p" },
        host: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.script === undefined) return usageError("--script is required");
  const port = Number(values.port ?? "0");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return usageError(
      `--port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`,
    );
  }
  return { script: values.script, port, host: values.host ?? "127.0.0.1" };
}

async function main(): Promise<void> {
  const options = parseCommandLine();
  let script;
  try {
    script = await loadScriptFile(options.script);
  } catch (error) {
    if (error instanceof ScriptValidationError) {
      console.error(`mock-upstream: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const upstream = await startScriptedUpstream({ script, port: options.port, host: options.host });
  console.log(`mock-upstream listening on ${upstream.url} (${script.replies.length} replies)`);
  const stop = (): void => {
    void upstream.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`mock-upstream: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
