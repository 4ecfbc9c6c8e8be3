declare const __HEDGE_VERSION__: string | undefined;

/** The version baked in at bundle time; `0.0.0-dev` when running from source (tests). */
export const HEDGE_VERSION: string =
  typeof __HEDGE_VERSION__ === "string" ? __HEDGE_VERSION__ : "0.0.0-dev";
