import { setTimeout as sleep } from "node:timers/promises";
import type { AgentAccess, GatewayMissing, GatewayUsage, RunGateway } from "@hedge/daemon";
import type { CommandContext } from "../command-context.js";
import { gatewayKeys, publishGatewayKey, unpublishGatewayKey } from "./admin.js";
import { connectClient } from "./connect.js";
import { announcedGateway } from "./gateway-announce.js";
import { withStore } from "./with-store.js";

/** Run keys are named after their run: `loop-run-<run id>`. */
const RUN_KEY_PREFIX = "loop-run-";

/** How long a new key may take to be accepted (the server re-reads its key file each second). */
const KEY_READY_MS = 5000;
/** The gateway writes its audit in batches (every 200 ms by default): time for the last one. */
const AUDIT_SETTLE_MS = 600;

/** Where `--via-gateway` runs call: `daemon.gateway_url`, else this home's `hedge gateway serve`. */
export function runGatewayUrl(context: CommandContext): string | undefined {
  const configured = context.loaded.config.daemon.gateway_url;
  return configured?.replace(/\/+$/, "") ?? announcedGateway(context.home)?.url;
}

/** Why a `--via-gateway` run has no gateway to call right now, or undefined. */
export async function gatewayProblem(
  context: CommandContext,
): Promise<{ url: string } | GatewayMissing> {
  const url = runGatewayUrl(context);
  if (!url) {
    return {
      missing: "no hedge gateway is running for this home",
      hint: "start one: hedge gateway serve (or set daemon.gateway_url)",
    };
  }
  const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) }).catch(
    () => undefined,
  );
  if (!health?.ok) {
    return {
      missing: `no hedge gateway answers at ${url}`,
      hint: "start it: hedge gateway serve",
    };
  }
  if (gatewayKeys(context.home).count() === 0) {
    // A run's key would be the gateway's first: from then on it would refuse keyless clients.
    return {
      missing: `the gateway at ${url} has no keys, and a run's key would make it require one from every client`,
      hint: "create a key for your own clients first: hedge gateway key create --name me",
    };
  }
  return { url };
}

/**
 * The daemon's door to hedge's model side: the usage view through ModelClient, and for each
 * `--via-gateway` run a key of its own (models scope only), revoked when the run ends; the
 * run's tokens and $ are the gateway's records of that key.
 */
export function daemonAccess(context: CommandContext): AgentAccess {
  return {
    async usage() {
      const { client } = await connectClient(context.loaded.config, context.home, undefined);
      try {
        return await client.usage();
      } finally {
        await client.close();
      }
    },
    async openGateway(runId) {
      const found = await gatewayProblem(context);
      if ("missing" in found) return found;
      const keys = gatewayKeys(context.home);
      const { key, record } = keys.create(`${RUN_KEY_PREFIX}${runId}`, ["models"]);
      await publishGatewayKey(context, record);
      const since = Date.now();
      const revoke = async (): Promise<void> => {
        try {
          gatewayKeys(context.home).revoke(record.id);
        } finally {
          await unpublishGatewayKey(context, record.id);
        }
      };
      if (!(await accepted(found.url, key))) {
        await revoke();
        return {
          missing: `the gateway at ${found.url} does not accept keys made in this home`,
          hint: "point daemon.gateway_url at this home's hedge gateway serve",
        };
      }
      const gateway: RunGateway = {
        url: found.url,
        key,
        keyId: record.id,
        async close() {
          await revoke();
          await sleep(AUDIT_SETTLE_MS);
          return usageOfKey(context, record.id, since);
        },
      };
      return gateway;
    },
    async sweepRunKeys() {
      const keys = gatewayKeys(context.home);
      for (const record of keys.list().filter((key) => key.name.startsWith(RUN_KEY_PREFIX))) {
        keys.revoke(record.id);
        await unpublishGatewayKey(context, record.id);
      }
    },
  };
}

/** Waits until the gateway accepts `key` (it re-reads its key file at most once a second). */
async function accepted(url: string, key: string): Promise<boolean> {
  const deadline = Date.now() + KEY_READY_MS;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/v1/models`, {
      headers: { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(2000),
    }).catch(() => undefined);
    await response?.body?.cancel();
    if (response?.ok) return true;
    await sleep(150);
  }
  return false;
}

/** The calls the gateway recorded for key `keyId` since `since`: tokens and $. */
async function usageOfKey(
  context: CommandContext,
  keyId: string,
  since: number,
): Promise<GatewayUsage> {
  const entries = await withStore(context, (store) => store.listAudit({ since }));
  const usage: GatewayUsage = { inputTokens: 0, outputTokens: 0, costUsd: null, calls: 0 };
  for (const entry of entries) {
    const call = entry.call;
    if (call?.gateway_key !== keyId) continue;
    usage.calls += 1;
    usage.inputTokens += call.input_tokens;
    usage.outputTokens += call.output_tokens;
    if (call.cost_usd !== undefined) usage.costUsd = (usage.costUsd ?? 0) + call.cost_usd;
  }
  return usage;
}
