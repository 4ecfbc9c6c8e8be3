import type { McpServerConfig } from "./config-schema.js";
import {
  Client,
  StreamableHTTPClientTransport,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type SdkTool,
  type Transport,
} from "./sdk.js";
import { ServerLog } from "./server-log.js";
import { GroupStdioTransport } from "./stdio-transport.js";

/** A server's listing is refused past these (a server paging forever must not hang hedge). */
const MAX_PAGES = 100;
const MAX_TOOLS = 2000;

/** What every connection needs from its manager. */
export interface ConnectionDeps {
  /** Where `<server>.log` (the server's stderr) goes. */
  logDir: string;
  /** hedge's environment: only the names a server's config lists are taken from it. */
  hostEnv: NodeJS.ProcessEnv;
  clientInfo: { name: string; version: string };
}

/** A connected server: its identity, its tools (every page), and calls. */
export interface ReadyServer {
  server: { name: string; version: string };
  instructions: string | undefined;
  tools: SdkTool[];
  pages: number;
  listChanged: boolean;
  protocolVersion: string | undefined;
}

/** A failure to start, with the server's last stderr lines. */
export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = "ServerStartError";
  }
}

/**
 * The environment of a stdio server: `PATH` and `HOME` (npx needs both), the config's `env`
 * values and the `env_vars` it names from hedge's environment. Nothing else: not hedge's
 * provider keys, not the user's other variables.
 */
export function serverEnvironment(
  config: McpServerConfig,
  hostEnv: NodeJS.ProcessEnv,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["PATH", "HOME", ...(config.env_vars ?? [])]) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...config.env };
}

/** The headers of an HTTP server; a named variable that is not set fails the server. */
export function serverHeaders(
  config: McpServerConfig,
  hostEnv: NodeJS.ProcessEnv,
): Record<string, string> {
  const headers: Record<string, string> = { ...config.http_headers };
  const read = (name: string): string => {
    const value = hostEnv[name];
    if (value === undefined || value === "") throw new ServerStartError(`${name} is not set`, "");
    return value;
  };
  for (const [header, variable] of Object.entries(config.env_http_headers ?? {}))
    headers[header] = read(variable);
  if (config.bearer_token_env_var)
    headers["Authorization"] = `Bearer ${read(config.bearer_token_env_var)}`;
  return headers;
}

/** One MCP server: started, listed page by page, called, closed. */
export class ServerConnection {
  readonly log: ServerLog;
  private client: Client | undefined;
  private transport: Transport | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private closing = false;
  /** Told when the server's tool list changed (re-read whole) or the server went away. */
  onToolsChanged: (tools: SdkTool[]) => void = () => undefined;
  onExit: (reason: string) => void = () => undefined;

  constructor(
    readonly name: string,
    readonly config: McpServerConfig,
    private readonly deps: ConnectionDeps,
  ) {
    this.log = new ServerLog(deps.logDir, name);
  }

  /** Spawn (or connect), initialize and list every page, within `startup_timeout_sec`. */
  async start(signal: AbortSignal): Promise<ReadyServer> {
    const seconds = this.config.startup_timeout_sec;
    const timeout = AbortSignal.timeout(seconds * 1000);
    const bounded = AbortSignal.any([signal, timeout]);
    try {
      return await this.connect(bounded);
    } catch (error) {
      await this.close();
      const reason = timeout.aborted
        ? `gave no answer within ${seconds} s (startup_timeout_sec)`
        : signal.aborted
          ? "start was cancelled"
          : describe(error);
      const tail = this.log.tail();
      const exited = /Connection closed|not running/i.test(reason);
      throw new ServerStartError(
        exited ? `the server exited before it answered${tailNote(tail)}` : reason,
        tail,
      );
    }
  }

  private async connect(signal: AbortSignal): Promise<ReadyServer> {
    const transport = this.createTransport();
    this.transport = transport;
    const client = new Client(this.deps.clientInfo, { capabilities: {} });
    this.client = client;
    const aborted = new Promise<never>((_, reject) => {
      const fail = (): void => reject(new Error("aborted"));
      if (signal.aborted) fail();
      signal.addEventListener("abort", fail, { once: true });
    });
    // The SDK's request timeout per call; the signal bounds the whole start.
    await Promise.race([client.connect(transport, { signal }), aborted]);
    client.onclose = () => {
      if (!this.closing) this.onExit(`the server exited${tailNote(this.log.tail())}`);
    };
    const listing = await Promise.race([this.listAll(signal), aborted]);
    const capabilities = client.getServerCapabilities();
    const listChanged = capabilities?.tools?.listChanged === true;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.scheduleRefresh());
    const version = client.getServerVersion();
    return {
      server: { name: version?.name ?? this.name, version: version?.version ?? "?" },
      instructions: client.getInstructions(),
      tools: listing.tools,
      pages: listing.pages,
      listChanged,
      protocolVersion:
        transport instanceof StreamableHTTPClientTransport ? transport.protocolVersion : undefined,
    };
  }

  private createTransport(): Transport {
    const { config } = this;
    if (config.url !== undefined) {
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: { headers: serverHeaders(config, this.deps.hostEnv) },
      });
    }
    return new GroupStdioTransport({
      command: config.command ?? "",
      args: config.args ?? [],
      env: serverEnvironment(config, this.deps.hostEnv),
      ...(config.cwd === undefined ? {} : { cwd: config.cwd }),
      log: this.log,
    });
  }

  /** Every page of `tools/list` (the SDK's own refresh reads only the first). */
  private async listAll(signal?: AbortSignal): Promise<{ tools: SdkTool[]; pages: number }> {
    const client = this.requireClient();
    const tools: SdkTool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 1; ; pages += 1) {
      const page = await client.listTools(cursor === undefined ? {} : { cursor }, {
        ...(signal ? { signal } : {}),
        timeout: this.config.startup_timeout_sec * 1000,
      });
      tools.push(...page.tools);
      cursor = page.nextCursor;
      if (cursor === undefined) return { tools, pages };
      if (seen.has(cursor) || pages >= MAX_PAGES || tools.length > MAX_TOOLS)
        throw new Error(
          "the server returned an endless tool list (a repeated cursor or too many pages)",
        );
      seen.add(cursor);
    }
  }

  /**
   * A list change re-reads every page at once (the SDK's own refresh reads only the first). The
   * notification arrives before the reply of the call that caused it, so `settled()` after a
   * call covers it; a change during a re-read runs one more.
   */
  private scheduleRefresh(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = this.listAll()
      .then(
        ({ tools }) => this.onToolsChanged(tools),
        (error: unknown) =>
          this.log.note(`\n[hedge] tools/list after list_changed failed: ${describe(error)}\n`),
      )
      .finally(() => {
        this.refreshing = undefined;
        if (this.refreshAgain) {
          this.refreshAgain = false;
          this.scheduleRefresh();
        }
      });
  }

  /** Resolves once no re-read of the tool list is running. */
  async settled(): Promise<void> {
    while (this.refreshing) await this.refreshing;
  }

  /** `tools/call` with the server's timeout (reset by progress, at most 10× in total). */
  call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult> {
    const timeout = this.config.tool_timeout_sec * 1000;
    return this.requireClient().callTool({ name: tool, arguments: args }, undefined, {
      signal,
      timeout,
      resetTimeoutOnProgress: true,
      maxTotalTimeout: timeout * 10,
    }) as Promise<CallToolResult>;
  }

  private requireClient(): Client {
    if (!this.client) throw new Error(`mcp server ${this.name} is not connected`);
    return this.client;
  }

  async close(): Promise<void> {
    this.closing = true;
    const client = this.client;
    this.client = undefined;
    try {
      if (client) await client.close();
      else await this.transport?.close();
    } catch {
      // Closing a dead server is done either way.
    }
    // The SDK's close only ends the transport it knows; make sure the group is gone.
    await this.transport?.close().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  if (error instanceof ServerStartError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOENT/.test(message)) return `command not found (${message})`;
  return message;
}

/** The stderr line that most likely says why: the last one naming an error, else the last. */
function tailNote(tail: string): string {
  const lines = tail
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const telling = lines.filter((line) =>
    /error|cannot|can't|fail|not found|denied|invalid/i.test(line),
  );
  const line = telling.at(-1) ?? lines.at(-1);
  return line ? `: ${line.slice(0, 200)}` : "";
}
