export type { ModelClient, ModelStreamer, ModelRequest, StreamOptions } from "./model-client.js";
export { EmbeddedModelClient, type EmbeddedGateway } from "./embedded.js";
export { RemoteModelClient, type RemoteClientOptions } from "./remote.js";
export { createModelClient, type ModelClientOptions } from "./create.js";
