import type { Store } from "@hedge/gateway";
import { loadConfig, type LoadedConfig } from "./config/load.js";
import { hedgeHome, type GlobalOptions } from "./context.js";
import { openConfiguredStore } from "./engine-factory.js";

// Apart from context.ts on purpose: loading config pulls in every package's config schema, which
// commands that only read profiles (auth list, auth status) must not load.

/** What most commands start from: HEDGE_HOME and the config that applies in `cwd`. */
export interface CommandContext {
  home: string;
  loaded: LoadedConfig;
}

export function commandContext(globals: GlobalOptions, cwd = process.cwd()): CommandContext {
  const home = hedgeHome();
  return { home, loaded: loadConfig({ home, cwd, overrides: globals.configOverrides }) };
}

/** Opens the Store the config names, runs `use` with it and closes it, also when `use` throws. */
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
