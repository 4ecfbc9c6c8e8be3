import type { Store } from "@hedge/gateway";
import type { CommandContext } from "../command-context.js";
import { openConfiguredStore } from "./engine-factory.js";

/**
 * Opens the Store the config names, runs `use` with it and closes it, also when `use` throws.
 * For the gateway's own administration (reset, heartbeat, a login clearing its marks): reading
 * routing state goes through ModelClient instead.
 */
export async function withStore<T>(
  context: CommandContext,
  use: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openConfiguredStore(context.loaded.config, context.home);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
