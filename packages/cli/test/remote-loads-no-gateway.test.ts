// Remote mode loads no gateway: a hedge process talking to a gateway over HTTP evaluates none of
// the gateway's code (engine, routing, Store, server), nor SQLite, Redis or undici. Checked on the
// real bundled binary: a loader hook lists every module the process loads, and each bundle chunk
// loaded is read for the source files esbuild put in it (`// path/to/file.ts` before each one).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  makeTempHome,
  startScriptedUpstream,
  type ScriptReply,
  type TempHome,
} from "@hedge/testkit";
import { startGateway, type GatewayProcess } from "./gateway-process.js";
import { loadedBy } from "./loaded-modules.js";

const GATEWAY_SRC = fileURLToPath(new URL("../../gateway/src/", import.meta.url));

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/**
 * What `@hedge/gateway/config` (the config sections' zod schemas, which loading any config
 * validates) is made of: config-schema.ts and the files it imports, followed through the source.
 */
function configSchemaFiles(): string[] {
  const files = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(GATEWAY_SRC, file), "utf8");
    for (const [, target] of text.matchAll(
      /^(?:import|export) (?!type )[^;]*? from "(\.[^"]+)";/gm,
    )) {
      const resolved = resolve(
        dirname(join(GATEWAY_SRC, file)),
        (target ?? "").replace(/\.js$/, ".ts"),
      );
      visit(resolved.slice(GATEWAY_SRC.length));
    }
  };
  visit("config-schema.ts");
  return [...files].sort();
}

const RUNTIME_PACKAGES = ["better-sqlite3", "ioredis", "undici"];

let gateway: GatewayProcess;
let client: TempHome;

const VERDICT_PASS: ScriptReply = {
  toolCalls: [{ name: "report_verdict", arguments: { verdict: "pass", tasks: [], reason: "ok" } }],
  repeat: true,
};

/** A gateway over a scripted upstream (answering `replies` in order) and a client home. */
async function start(replies: readonly ScriptReply[] = [VERDICT_PASS]): Promise<void> {
  const upstream = await startScriptedUpstream();
  const server = await makeTempHome();
  client = await makeTempHome();
  stops.push(
    () => upstream.close(),
    () => server.cleanup(),
    () => client.cleanup(),
  );
  writeFileSync(
    join(server.path, "config.toml"),
    ["[providers.lab]", `base_url = "${upstream.url}/v1"`, 'wire = "chat"'].join("\n"),
  );
  writeFileSync(join(client.path, "config.toml"), '[roles]\nqa = "lab/qa"\n');
  gateway = await startGateway(server.env);
  stops.push(() => gateway.stop());
  for (const reply of replies) upstream.push(reply);
}

describe("a hedge process in remote mode", () => {
  it.each([
    [["route", "explain", "lab/m", "--json"]],
    [["stats", "--json"]],
    [["usage", "--json"]],
    [["gateway", "status", "--json"]],
  ])("hedge %j --gateway URL loads no gateway code, SQLite, Redis or undici", async (args) => {
    await start();
    const { run, loaded } = await loadedBy([...args, "--gateway", gateway.url], client.env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // Only the config sections' schemas: every config is validated whole.
    expect(loaded.gateway).not.toEqual([]);
    expect(configSchemaFiles()).toEqual(expect.arrayContaining(loaded.gateway));
    for (const name of RUNTIME_PACKAGES) expect(loaded.packages).not.toContain(name);
  });

  it("hedge qa --gateway URL (the Stop hook) asks the QA model and records its verdict without them", async () => {
    await start();
    const transcript = join(client.path, "transcript.jsonl");
    writeFileSync(
      transcript,
      `${JSON.stringify({ type: "user", message: { role: "user", content: "Fix add()." } })}\n`,
    );
    const payload = JSON.stringify({
      session_id: "s-1",
      transcript_path: transcript,
      cwd: client.path,
      hook_event_name: "Stop",
      stop_hook_active: false,
      last_assistant_message: "Fixed.",
    });
    const { run, loaded } = await loadedBy(["qa", "--gateway", gateway.url], client.env, payload);
    expect(run).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(configSchemaFiles()).toEqual(expect.arrayContaining(loaded.gateway));
    for (const name of RUNTIME_PACKAGES) expect(loaded.packages).not.toContain(name);
  });

  it("hedge exec --gateway URL runs a whole agent turn (route check, executor, QA) without them", async () => {
    await start([{ text: "All done." }, VERDICT_PASS]);
    const { run, loaded } = await loadedBy(
      [
        "exec",
        "--json",
        "--skip-git-repo-check",
        "-m",
        "lab/m",
        "--gateway",
        gateway.url,
        "say done",
      ],
      client.env,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"turn.completed"');
    expect(run.stdout).toContain("All done.");
    expect(configSchemaFiles()).toEqual(expect.arrayContaining(loaded.gateway));
    for (const name of RUNTIME_PACKAGES) expect(loaded.packages).not.toContain(name);
  });

  it("while the same command without --gateway loads the gateway and SQLite (the check sees them)", async () => {
    await start();
    const { run, loaded } = await loadedBy(["stats", "--json"], client.env);
    expect(run.code).toBe(0);
    expect(loaded.gateway).toEqual(
      expect.arrayContaining(["engine/engine.ts", "store/sqlite-store.ts", "views/stats-view.ts"]),
    );
    expect(loaded.packages).toContain("better-sqlite3");
  });
});
