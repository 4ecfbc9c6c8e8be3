// undici's internal CommonJS modules the gateway imports directly (see engine/undici-lite.ts);
// typed there by a cast to undici's public types.
declare module "undici/lib/dispatcher/agent.js" {
  const Agent: unknown;
  export default Agent;
}
declare module "undici/lib/core/errors.js" {
  const errors: unknown;
  export default errors;
}
