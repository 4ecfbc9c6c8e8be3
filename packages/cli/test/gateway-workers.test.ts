import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "node:http";
import { availableParallelism } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempHome, startScriptedUpstream } from "@hedge/testkit";
import { startGateway } from "./gateway-process.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()?.();
});

/** One request on a connection of its own (so the primary hands each to the next worker). */
function ask(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${url}/v1/chat/completions`,
      { method: "POST", headers: { "content-type": "application/json" }, agent: false },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(JSON.stringify({ model: "lab/m", messages: [{ role: "user", content: "hi" }] }));
  });
}

describe("hedge gateway serve --workers", () => {
  it("serves one port from 2 processes and /metrics counts every worker's requests", async () => {
    const upstream = await startScriptedUpstream();
    const home = await makeTempHome();
    stops.push(
      () => upstream.close(),
      () => home.cleanup(),
    );
    writeFileSync(
      join(home.path, "config.toml"),
      ["[providers.lab]", `base_url = "${upstream.url}/v1"`, 'wire = "chat"'].join("\n"),
    );
    upstream.push({ text: "ok", repeat: true });
    const gateway = await startGateway(home.env, ["--workers", "2"]);
    stops.push(() => gateway.stop());
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1) statuses.push(await ask(gateway.url));
    expect(statuses).toEqual(Array.from({ length: 8 }, () => 200));
    expect(gateway.stderr()).toContain("2 workers");
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain(
      'hedge_gateway_requests_total{provider="lab",inbound="chat",status="200"} 8',
    );
    await gateway.stop();
    expect(gateway.child.exitCode ?? gateway.child.signalCode).not.toBeNull();
  });

  it("serves from one process per core when --workers is not given", async () => {
    const upstream = await startScriptedUpstream();
    const home = await makeTempHome();
    stops.push(
      () => upstream.close(),
      () => home.cleanup(),
    );
    writeFileSync(
      join(home.path, "config.toml"),
      ["[providers.lab]", `base_url = "${upstream.url}/v1"`, 'wire = "chat"'].join("\n"),
    );
    upstream.push({ text: "ok", repeat: true });
    const gateway = await startGateway(home.env);
    stops.push(() => gateway.stop());
    expect(await ask(gateway.url)).toBe(200);
    const cores = availableParallelism();
    if (cores > 1) expect(gateway.stderr()).toContain(`; ${cores} workers`);
    else expect(gateway.stderr()).not.toContain("workers");
  });

  it("--workers 1 serves from the one process", async () => {
    const upstream = await startScriptedUpstream();
    const home = await makeTempHome();
    stops.push(
      () => upstream.close(),
      () => home.cleanup(),
    );
    writeFileSync(
      join(home.path, "config.toml"),
      ["[providers.lab]", `base_url = "${upstream.url}/v1"`, 'wire = "chat"'].join("\n"),
    );
    upstream.push({ text: "ok", repeat: true });
    const gateway = await startGateway(home.env, ["--workers", "1"]);
    stops.push(() => gateway.stop());
    expect(await ask(gateway.url)).toBe(200);
    expect(gateway.stderr()).not.toContain("workers");
  });
});
