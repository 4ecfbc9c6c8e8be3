import type { Config } from "./types.ts";

export const DEFAULTS: Config = { host: "localhost", port: 8080 };
