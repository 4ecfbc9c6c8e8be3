import { existsSync, readFileSync, readdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { createModelClient, type ModelClient, type ModelRequest } from "@hedge/gateway-client";
import {
  makeTempDir,
  makeTempHome,
  startScriptedUpstream,
  type Responder,
  type ScriptToolCall,
  type ScriptedRequest,
  type ScriptedUpstream,
  type TempDir,
  type TempHome,
} from "@hedge/testkit";
import { coreConfigShape, shellEnvironmentPolicySchema } from "../src/config-schema.js";
import type { AgentEvent } from "../src/agent/events.js";
import { resolveThreadSettings, type ThreadFlags } from "../src/thread/settings.js";
import { Thread } from "../src/thread/thread.js";
import type { ThreadDeps } from "../src/thread/thread-types.js";

/** The route header hedge's gateway sends: the scripted upstream plays a gateway on profile work. */
export const ROUTE_HEADERS = { "x-hedge-route": "provider=lab; model=coder; profile=work" };

/** A thread on the scripted upstream, through the remote ModelClient (Chat Completions). */
export interface ThreadRig {
  thread: Thread;
  upstream: ScriptedUpstream;
  /** What each model call asked, as the thread sent it (metadata included). */
  sent: ModelRequest[];
  /** What each model call carried, as the upstream saw it. */
  seen: ScriptedRequest[];
  home: TempHome;
  workspace: TempDir;
  cleanup: () => Promise<void>;
}

export async function threadRig(
  respond: Responder,
  options: {
    config?: Record<string, unknown>;
    flags?: ThreadFlags;
    deps?: Partial<ThreadDeps>;
    routing?: Partial<Pick<ModelClient, "explain" | "usage">>;
  } = {},
): Promise<ThreadRig> {
  const seen: ScriptedRequest[] = [];
  const upstream = await startScriptedUpstream({
    respond: (request) => {
      seen.push(request);
      return respond(request);
    },
  });
  const home = await makeTempHome();
  const workspace = await makeTempDir("hedge-thread-");
  const sent: ModelRequest[] = [];
  const thread = threadOn({
    url: upstream.url,
    home: home.path,
    cwd: workspace.path,
    sent,
    ...options,
  });
  return {
    thread,
    upstream,
    sent,
    seen,
    home,
    workspace,
    cleanup: async () => {
      await thread.close();
      await upstream.close();
      await home.cleanup();
      await workspace.cleanup();
    },
  };
}

/**
 * A thread on a scripted upstream at `url` (remote ModelClient, Chat Completions) in `home`,
 * working in `cwd`; `sent` collects each request as the thread sent it.
 */
export function threadOn(options: {
  url: string;
  home: string;
  cwd: string;
  sent?: ModelRequest[];
  config?: Record<string, unknown>;
  flags?: ThreadFlags;
  deps?: Partial<ThreadDeps>;
  /** Routing state a hedge gateway would answer (the scripted upstream has no admin API). */
  routing?: Partial<Pick<ModelClient, "explain" | "usage">>;
}): Thread {
  const remote = createModelClient({ mode: "remote", url: options.url, key: undefined });
  const sent = options.sent ?? [];
  // A recording decorator: the thread's requests as sent, before the wire drops metadata.
  const client: ModelClient = {
    stream: (request, streamOptions) => {
      sent.push(request);
      return remote.stream(request, streamOptions);
    },
    // The scripted upstream is not a hedge gateway: it has no admin API, as any
    // OpenAI-compatible gateway would (route checks are skipped, verdicts not recorded).
    explain: (query) => (options.routing?.explain ?? remote.explain.bind(remote))(query),
    countTokens: (request) => remote.countTokens(request),
    recordVerdict: (verdict) => remote.recordVerdict(verdict),
    usage: () => (options.routing?.usage ?? remote.usage.bind(remote))(),
    status: (query) => remote.status(query),
    stats: (query) => remote.stats(query),
    close: () => remote.close(),
  };
  const config = z.object(coreConfigShape).parse({
    model: "lab/coder",
    qa: { enabled: false },
    ...options.config,
  });
  const settings = resolveThreadSettings({
    home: options.home,
    cwd: realpathSync(options.cwd),
    config,
    ...(options.flags ? { flags: options.flags } : {}),
    guard: {
      secrets: [],
      keyVariables: [],
      shellEnvironment: shellEnvironmentPolicySchema.parse({}),
      denyRead: [options.home],
    },
    interactive: true,
  });
  return new Thread(settings, { client, ...options.deps });
}

/** Collects every event of a run; `on` sees each as it arrives (to steer, answer, ...). */
export async function drain(
  events: AsyncIterable<AgentEvent>,
  on: (event: AgentEvent) => void | Promise<void> = () => undefined,
): Promise<AgentEvent[]> {
  const all: AgentEvent[] = [];
  for await (const event of events) {
    all.push(event);
    await on(event);
  }
  return all;
}

/** The text of every user message of a request, in order. */
export function userTexts(request: ScriptedRequest | undefined): string[] {
  return (request?.conversation ?? []).flatMap((entry) =>
    entry.role === "user" ? [entry.text] : [],
  );
}

/** A shell call that waits until the file `name` exists in the workspace, then prints "released". */
export function waitForFile(name: string): ScriptToolCall {
  return {
    name: "shell",
    arguments: {
      command: ["bash", "-lc", `while [ ! -e ${name} ]; do sleep 0.05; done; echo released`],
    },
  };
}

/** The session file's records (one JSON object a line). */
export function sessionRecords(home: string): { type: string; [key: string]: unknown }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else files.push(join(dir, entry.name));
    }
  };
  walk(join(home, "sessions"));
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown }),
  );
}
