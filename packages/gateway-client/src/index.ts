export type {
  ModelClient,
  ModelRequest,
  StreamOptions,
  RouteQuery,
  RouteCheck,
  VerdictRecord,
} from "./model-client.js";
export { EmbeddedModelClient } from "./embedded.js";
export { RemoteModelClient, type RemoteClientOptions } from "./remote.js";
export { createModelClient, type ModelClientOptions } from "./create.js";
