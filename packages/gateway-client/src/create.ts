import type { GatewayEngine, ReportProfile } from "@hedge/gateway";
import { EmbeddedModelClient } from "./embedded.js";
import type { ModelClient } from "./model-client.js";
import { RemoteModelClient, type RemoteClientOptions } from "./remote.js";

export type ModelClientOptions =
  | {
      mode: "embedded";
      engine: GatewayEngine;
      /** The profiles `usage()` reports on (none by default). */
      profiles?: () => readonly ReportProfile[];
    }
  | ({ mode: "remote" } & RemoteClientOptions);

/** `embedded` runs the gateway engine in-process (the default); `remote` calls a gateway URL. */
export function createModelClient(options: ModelClientOptions): ModelClient {
  if (options.mode === "remote") return new RemoteModelClient(options);
  const { engine, profiles } = options;
  return new EmbeddedModelClient({
    engine: () => engine,
    ...(profiles ? { profiles } : {}),
    close: () => engine.flush(),
  });
}
