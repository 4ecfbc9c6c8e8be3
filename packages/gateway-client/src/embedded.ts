import type { GatewayEngine } from "@hedge/gateway";
import type { ModelEvent } from "@hedge/model-spec";
import type {
  ModelClient,
  ModelRequest,
  RouteCheck,
  RouteQuery,
  StreamOptions,
  VerdictRecord,
} from "./model-client.js";

/** The gateway engine in-process: no HTTP hop (the CLI's default). */
export class EmbeddedModelClient implements ModelClient {
  constructor(private readonly engine: GatewayEngine) {}

  stream(request: ModelRequest, options: StreamOptions = {}): AsyncIterable<ModelEvent> {
    return this.engine.stream(request, options.signal ? { signal: options.signal } : {});
  }

  async explain(query: RouteQuery): Promise<RouteCheck> {
    const { error } = await this.engine.explain({
      model: query.model,
      ...(query.role === undefined ? {} : { role: query.role }),
      ...(query.session === undefined ? {} : { session: query.session }),
      ...(query.profiles === undefined ? {} : { profiles: query.profiles }),
    });
    return error ? { error: { code: error.code, message: error.message } } : {};
  }

  recordVerdict(verdict: VerdictRecord): Promise<void> {
    this.engine.recordVerdict(verdict);
    return Promise.resolve();
  }
}
