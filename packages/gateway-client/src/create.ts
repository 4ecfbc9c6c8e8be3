import type { GatewayEngine } from "@hedge/gateway";
import { EmbeddedModelClient } from "./embedded.js";
import type { ModelClient } from "./model-client.js";
import { RemoteModelClient, type RemoteClientOptions } from "./remote.js";

export type ModelClientOptions =
  { mode: "embedded"; engine: GatewayEngine } | ({ mode: "remote" } & RemoteClientOptions);

/** `embedded` runs the gateway engine in-process (the default); `remote` calls a gateway URL. */
export function createModelClient(options: ModelClientOptions): ModelClient {
  return options.mode === "embedded"
    ? new EmbeddedModelClient(options.engine)
    : new RemoteModelClient(options);
}
