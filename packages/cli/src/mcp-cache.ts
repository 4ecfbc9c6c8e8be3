import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "@hedge/auth";
import type {
  McpServerConfig,
  McpServerManager,
  McpServerState,
  McpSettings,
  McpToolInfo,
  RoleName,
} from "@hedge/core";

/**
 * The description cache: what each server said about itself at its last probe (`hedge mcp
 * test`, `hedge mcp cost`, a session start), one 0600 file per server under
 * `$HEDGE_HOME/cache/mcp/<server>.json`, so `hedge mcp list` and `hedge mcp cost --cached`
 * answer without starting servers. Keyed by a hash of the server's config: a changed config
 * makes the entry stale (never shown as current). A cache is advice: a write that fails is
 * ignored, and a file that does not parse is no entry.
 */

/** Where the cache files are. */
export function mcpCacheDir(home: string): string {
  return join(home, "cache", "mcp");
}

/** JSON with sorted keys, so equal configs hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The cache key of a server: sha256 of its whole config (command, env, filters, timeouts...). */
export function serverConfigHash(config: McpServerConfig): string {
  return createHash("sha256").update(canonicalJson(config)).digest("hex");
}

const toolSchema = z.object({
  qualifiedName: z.string(),
  server: z.string(),
  name: z.string(),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
  annotations: z.record(z.string(), z.unknown()).optional(),
  approval: z.string(),
});

const entrySchema = z.object({
  version: z.literal(1),
  configHash: z.string(),
  /** ISO time of the probe. */
  probedAt: z.string(),
  probe: z.discriminatedUnion("status", [
    z.object({
      status: z.literal("ready"),
      server: z.object({ name: z.string(), version: z.string() }),
      startupMs: z.number(),
      pages: z.number(),
      listChanged: z.boolean(),
      listedTools: z.number(),
      /** The tools offered (after enabled_tools/disabled_tools). */
      tools: z.array(toolSchema),
      /** Every tool the server listed. */
      listed: z.array(toolSchema),
    }),
    z.object({ status: z.literal("failed"), reason: z.string() }),
  ]),
});
/** One server's cached probe. */
export type McpCacheEntry = z.infer<typeof entrySchema>;

/** A server's cache: current, stale (its config changed since), or none. */
export type CachedProbe =
  { kind: "fresh"; entry: McpCacheEntry } | { kind: "stale"; probedAt: string } | { kind: "none" };

/** Records the probe of every started server (ready or failed) of `servers` (their real config). */
export function recordMcpProbes(
  home: string,
  servers: Readonly<Record<string, McpServerConfig>>,
  manager: Pick<McpServerManager, "states" | "listedTools">,
  now: number = Date.now(),
): void {
  for (const [name, state] of manager.states()) {
    const config = servers[name];
    if (!config || (state.status !== "ready" && state.status !== "failed")) continue;
    const entry: McpCacheEntry = {
      version: 1,
      configHash: serverConfigHash(config),
      probedAt: new Date(now).toISOString(),
      probe:
        state.status === "ready"
          ? {
              status: "ready",
              server: state.server,
              startupMs: state.startupMs,
              pages: state.pages,
              listChanged: state.listChanged,
              listedTools: state.listedTools,
              tools: state.tools.map(plainTool),
              listed: manager.listedTools(name).map(plainTool),
            }
          : { status: "failed", reason: state.reason },
    };
    try {
      writeFileAtomic(join(mcpCacheDir(home), `${name}.json`), `${JSON.stringify(entry)}\n`);
    } catch {
      // A cache is advice: a full disk or a read-only home must not fail the probe.
    }
  }
}

function plainTool(tool: McpToolInfo): z.infer<typeof toolSchema> {
  return {
    qualifiedName: tool.qualifiedName,
    server: tool.server,
    name: tool.name,
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.annotations ? { annotations: { ...tool.annotations } } : {}),
    approval: tool.approval,
  };
}

/** The cached probe of `name`, judged against its current config. */
export function readMcpProbe(home: string, name: string, config: McpServerConfig): CachedProbe {
  let text: string;
  try {
    text = readFileSync(join(mcpCacheDir(home), `${name}.json`), "utf8");
  } catch {
    return { kind: "none" };
  }
  let parsed: ReturnType<typeof entrySchema.safeParse>;
  try {
    parsed = entrySchema.safeParse(JSON.parse(text));
  } catch {
    return { kind: "none" };
  }
  if (!parsed.success) return { kind: "none" };
  if (parsed.data.configHash !== serverConfigHash(config)) {
    return { kind: "stale", probedAt: parsed.data.probedAt };
  }
  return { kind: "fresh", entry: parsed.data };
}

/** Why a server has no usable cached description, as `hedge mcp cost --cached` shows it. */
function missing(probe: CachedProbe, name: string): string {
  return probe.kind === "stale"
    ? `config changed since the probe of ${probe.probedAt}: run hedge mcp test ${name}`
    : `never probed: run hedge mcp test ${name}`;
}

/**
 * The servers as their cached descriptions say, in the shape `mcpStatus` reads from a running
 * manager: ready servers with their tools, failures with their reasons, and a server without a
 * current entry as failed, naming what to run.
 */
export function cachedManager(
  home: string,
  servers: Readonly<Record<string, McpServerConfig>>,
  settings: McpSettings,
): Pick<McpServerManager, "states" | "serversFor" | "settings" | "listedTools"> & {
  probedAt: ReadonlyMap<string, string>;
} {
  const states = new Map<string, McpServerState>();
  const listed = new Map<string, McpToolInfo[]>();
  const probedAt = new Map<string, string>();
  for (const [name, config] of Object.entries(servers)) {
    if (!config.enabled) {
      states.set(name, { status: "disabled", reason: "config" });
      continue;
    }
    const probe = readMcpProbe(home, name, config);
    if (probe.kind !== "fresh") {
      states.set(name, {
        status: "failed",
        reason: missing(probe, name),
        stderrTail: "",
        logPath: "",
      });
      continue;
    }
    const { entry } = probe;
    probedAt.set(name, entry.probedAt);
    if (entry.probe.status === "failed") {
      states.set(name, {
        status: "failed",
        reason: entry.probe.reason,
        stderrTail: "",
        logPath: "",
      });
      continue;
    }
    const { probe: ready } = entry;
    states.set(name, {
      status: "ready",
      tools: ready.tools as McpToolInfo[],
      listedTools: ready.listedTools,
      server: ready.server,
      startupMs: ready.startupMs,
      pages: ready.pages,
      listChanged: ready.listChanged,
    });
    listed.set(name, ready.listed as McpToolInfo[]);
  }
  return {
    settings,
    probedAt,
    states: () => states,
    serversFor: (role: RoleName) => {
      const allowed = role === "qa" ? [] : settings.roles[role];
      const all = Object.keys(servers);
      return allowed.includes("*") ? all : all.filter((name) => allowed.includes(name));
    },
    listedTools: (name: string) => listed.get(name) ?? [],
  };
}
