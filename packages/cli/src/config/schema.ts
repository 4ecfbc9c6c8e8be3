import { z } from "zod";
import { credentialsStoreSchema } from "@hedge/auth";
import { coreConfigShape, evalRoutingConfigShape } from "@hedge/core";
import { daemonConfigShape } from "@hedge/daemon/config";
// The config sections alone (zod): loading config must not load the gateway (remote mode).
import { gatewayConfigShape } from "@hedge/gateway/config";

/**
 * The one config schema. Each package owns the sections it reads; the CLI composes them and
 * passes each package only its own section. Unknown keys are errors (typos must not be ignored).
 */
export const configSchema = z.strictObject({
  credentials_store: credentialsStoreSchema.default("auto"),
  ...gatewayConfigShape,
  // `[routing]` is the gateway's, plus the eval link's keys (core reads those).
  routing: gatewayConfigShape.routing.unwrap().extend(evalRoutingConfigShape).prefault({}),
  ...coreConfigShape,
  ...daemonConfigShape,
});

export type HedgeConfig = z.infer<typeof configSchema>;
