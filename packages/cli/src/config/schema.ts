import { z } from "zod";
import { credentialsStoreSchema } from "@hedge/auth";
import { coreConfigShape } from "@hedge/core";
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
  ...coreConfigShape,
  ...daemonConfigShape,
});

export type HedgeConfig = z.infer<typeof configSchema>;
