import type { GatewayEngine } from "@hedge/gateway";
import type { ModelEvent } from "@hedge/model-spec";
import type { ModelClient, ModelRequest, StreamOptions } from "./model-client.js";

/** The gateway engine in-process: no HTTP hop (the CLI's default). */
export class EmbeddedModelClient implements ModelClient {
  constructor(private readonly engine: GatewayEngine) {}

  stream(request: ModelRequest, options: StreamOptions = {}): AsyncIterable<ModelEvent> {
    return this.engine.stream(request, options.signal ? { signal: options.signal } : {});
  }
}
