// vitest globalSetup for the cli project: tests run the real bundled binary as a child process,
// so build it once from the current sources before they start.
import { build } from "tsup";
import config from "../tsup.config.js";

export default async function setup(): Promise<void> {
  const options = Array.isArray(config) ? config[0] : config;
  await build({ ...(options as object), silent: true, sourcemap: false });
}
