import { HedgeError, UsageError } from "@hedge/model-spec";
import { commandContext } from "../command-context.js";
import type { GlobalOptions } from "../context.js";
import {
  GATEWAY_KEY_SCOPES,
  fleetGatewayKeys,
  gatewayKeys,
  publishGatewayKey,
  sharesKeys,
  unpublishGatewayKey,
  type KeyScope,
} from "../composition/admin.js";

/**
 * `hedge gateway key create`: prints the key once; only its hash (and its scopes) is stored (in
 * `$HEDGE_HOME/gateway-keys.json`, and with a Redis store also there, for every replica).
 */
export async function runKeyCreate(
  globals: GlobalOptions,
  options: { name?: string; json: boolean; scopes?: string[] },
): Promise<void> {
  const scopes = options.scopes?.map(parseScope);
  const context = commandContext(globals);
  const store = gatewayKeys(context.home);
  const name = options.name ?? `key-${store.list().length + 1}`;
  const { key, record } = store.create(name, scopes);
  await publishGatewayKey(context, record);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ id: record.id, name: record.name, key, created_at: record.created_at, ...(record.scopes ? { scopes: record.scopes } : {}) })}\n`,
    );
    return;
  }
  process.stdout.write(`${key}\n`);
  process.stderr.write(
    `created gateway key ${record.id} (${record.name})${record.scopes ? ` for ${record.scopes.join(", ")}` : ""}; this is the only time it is shown.\n` +
      `  use it as: OPENAI_API_KEY / ANTHROPIC_AUTH_TOKEN / Authorization: Bearer <key>\n`,
  );
}

export async function runKeyList(
  globals: GlobalOptions,
  options: { json: boolean },
): Promise<void> {
  const context = commandContext(globals);
  const { records, revoked } = await fleetGatewayKeys(context);
  const local = gatewayKeys(context.home)
    .list()
    .filter((key) => !revoked.has(key.id));
  const ids = new Set(local.map((key) => key.id));
  const fleet = records.filter((key) => !ids.has(key.id));
  const keys = [...local, ...fleet].map(({ id, name, prefix, created_at, scopes }) => ({
    id,
    name,
    prefix,
    created_at,
    ...(scopes ? { scopes } : {}),
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
    return;
  }
  if (keys.length === 0) {
    process.stdout.write("no gateway keys (create one: hedge gateway key create --name NAME)\n");
    return;
  }
  process.stdout.write(
    `${"ID".padEnd(12)} ${"NAME".padEnd(20)} ${"PREFIX".padEnd(12)} ${"CREATED".padEnd(24)} SCOPES\n`,
  );
  for (const key of keys) {
    process.stdout.write(
      `${key.id.padEnd(12)} ${key.name.padEnd(20)} ${`${key.prefix}…`.padEnd(12)} ${key.created_at.padEnd(24)} ${key.scopes?.join(",") ?? "all"}\n`,
    );
  }
}

export async function runKeyRevoke(
  globals: GlobalOptions,
  reference: string,
  options: { json: boolean },
): Promise<void> {
  const context = commandContext(globals);
  const local = gatewayKeys(context.home);
  const matches = (key: { id: string; name: string; prefix: string }): boolean =>
    key.id === reference || key.name === reference || key.prefix === reference;
  const inFile = local.list().filter(matches);
  let removed: { id: string; name: string };
  if (inFile.length > 0 || !sharesKeys(context.loaded.config)) {
    removed = local.revoke(reference);
  } else {
    // Created on another replica of the fleet: only in the Store.
    const fleet = (await fleetGatewayKeys(context)).records.filter(matches);
    if (fleet.length !== 1) {
      throw new HedgeError(
        fleet.length === 0 ? "key_not_found" : "key_ambiguous",
        fleet.length === 0
          ? `no gateway key "${reference}"`
          : `"${reference}" matches ${fleet.length} keys`,
        { hint: "run 'hedge gateway key list' and revoke by id" },
      );
    }
    removed = fleet[0] as { id: string; name: string };
  }
  await unpublishGatewayKey(context, removed.id);
  if (options.json)
    process.stdout.write(`${JSON.stringify({ revoked: removed.id, name: removed.name })}\n`);
  else process.stdout.write(`revoked ${removed.id} (${removed.name})\n`);
}

/** A `--scope` value, or a usage error naming the scopes there are. */
export function parseScope(text: string): KeyScope {
  const scope = GATEWAY_KEY_SCOPES.find((known) => known === text);
  if (!scope)
    throw new UsageError(`unknown key scope "${text}"`, {
      hint: `use one of ${GATEWAY_KEY_SCOPES.join(", ")} (repeat --scope for several)`,
    });
  return scope;
}
