import { UsageError } from "@hedge/model-spec";
import { GATEWAY_KEY_SCOPES, gatewayKeys, type KeyScope } from "../composition/admin.js";
import { hedgeHome } from "../context.js";

/** `hedge gateway key create`: prints the key once; only its hash is stored. */
export function runKeyCreate(options: { name?: string; json: boolean; scopes?: string[] }): void {
  const scopes = options.scopes?.map(parseScope);
  const store = gatewayKeys(hedgeHome());
  const name = options.name ?? `key-${store.list().length + 1}`;
  const { key, record } = store.create(name, scopes);
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

export function runKeyList(options: { json: boolean }): void {
  const keys = gatewayKeys(hedgeHome())
    .list()
    .map(({ id, name, prefix, created_at, scopes }) => ({
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

export function runKeyRevoke(reference: string, options: { json: boolean }): void {
  const removed = gatewayKeys(hedgeHome()).revoke(reference);
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
