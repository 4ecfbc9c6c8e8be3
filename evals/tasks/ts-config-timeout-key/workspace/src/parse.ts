import { DEFAULTS } from "./defaults.ts";
import type { Config } from "./types.ts";

/** Config from KEY=VALUE lines over the defaults. */
export function parseConfig(text: string): Config {
  const config = { ...DEFAULTS };
  for (const line of text.split("\n")) {
    const [key, value] = line.split("=").map((part) => part.trim());
    if (key === "host" && value) config.host = value;
    if (key === "port" && value) config.port = Number(value);
  }
  return config;
}
