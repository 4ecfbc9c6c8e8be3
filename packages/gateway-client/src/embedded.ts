import type { GatewayAdmin, GatewayEngine, ReportProfile, StateViews } from "@hedge/gateway";
import type {
  GatewayStatusView,
  ModelEvent,
  RouteExplanationView,
  RouteQuery,
  StatsQuery,
  StatsView,
  StatusQuery,
  TokenCountView,
  UsageReportView,
  VerdictRecord,
} from "@hedge/model-spec";
import type { ModelClient, ModelRequest, StreamOptions } from "./model-client.js";

/** Where an embedded client's gateway comes from: each part opened on first need. */
export interface EmbeddedGateway {
  /** The engine (model calls, route explain, verdicts); may be built on the first call. */
  engine(): GatewayEngine | Promise<GatewayEngine>;
  /**
   * Views of the shared state (usage, status, stats). Default: the engine's. A caller that can
   * open the Store alone passes its own, so these views never build the engine (nor read keys).
   */
  views?(): Promise<StateViews>;
  /** The profiles the usage report covers, with the default views. */
  profiles?(): readonly ReportProfile[];
  /** Flushes the audit log and releases the Store; default: flushes the engine, if built. */
  close?(): Promise<void>;
}

/**
 * The gateway engine in-process: no HTTP hop (the CLI's default). The gateway's own code for the
 * views is loaded only when one is asked for (`await import`), so creating this client costs
 * nothing beyond the engine.
 */
export class EmbeddedModelClient implements ModelClient {
  private built: GatewayEngine | undefined;
  private building: Promise<GatewayEngine> | undefined;
  private admin: Promise<GatewayAdmin> | undefined;

  constructor(private readonly gateway: EmbeddedGateway) {}

  stream(request: ModelRequest, options: StreamOptions = {}): AsyncIterable<ModelEvent> {
    const streamOptions = options.signal ? { signal: options.signal } : {};
    // The engine's own generator when it exists already: no extra hop per event.
    if (this.built) return this.built.stream(request, streamOptions);
    return (async function* (client: EmbeddedModelClient) {
      yield* (await client.engine()).stream(request, streamOptions);
    })(this);
  }

  async explain(query: RouteQuery): Promise<RouteExplanationView> {
    return (await this.adminViews()).explain(query);
  }

  async countTokens(
    request: ModelRequest,
    options: StreamOptions = {},
  ): Promise<TokenCountView["count"]> {
    return (await this.engine()).countTokens(
      request,
      options.signal ? { signal: options.signal } : {},
    );
  }

  async recordVerdict(verdict: VerdictRecord): Promise<void> {
    (await this.adminViews()).recordVerdict(verdict);
  }

  async usage(): Promise<UsageReportView> {
    return (await this.stateViews()).usage();
  }

  async status(query?: StatusQuery): Promise<GatewayStatusView> {
    return (await this.stateViews()).status(query);
  }

  async stats(query: StatsQuery): Promise<StatsView> {
    return (await this.stateViews()).stats(query);
  }

  async close(): Promise<void> {
    if (this.gateway.close) await this.gateway.close();
    else await this.built?.flush();
  }

  private async engine(): Promise<GatewayEngine> {
    if (this.built) return this.built;
    this.building ??= Promise.resolve(this.gateway.engine());
    this.built = await this.building;
    return this.built;
  }

  private adminViews(): Promise<GatewayAdmin> {
    this.admin ??= (async () => {
      const engine = await this.engine();
      const { GatewayAdmin } = await import("@hedge/gateway");
      const profiles = this.gateway.profiles?.bind(this.gateway);
      return new GatewayAdmin(engine, profiles ? { profiles } : {});
    })();
    return this.admin;
  }

  /** The caller's views (the Store alone), else the engine's (which flush its audit first). */
  private async stateViews(): Promise<Pick<StateViews, "usage" | "status" | "stats">> {
    if (this.gateway.views) return this.gateway.views();
    return this.adminViews();
  }
}
